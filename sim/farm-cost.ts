// What a farm cost its buyer, roughly: accounts x a price per account (by kind and trait) plus
// paid likes and views x a price each. So a report can say "caught 98% of a $X farm".
import type { FarmSpec } from './world-spec.ts'

/**
 * Assumed prices in USD. REFERENCES has no prices: these are order-of-magnitude guesses at the
 * market for fake engagement (fresh bot accounts cost cents, aged ones dollars, a taken-over
 * person's account more; paid people are paid per act, not per account), to compare farms with
 * each other, not to quote.
 */
export const FARM_PRICES_USD = {
  account: { careless: 0.05, stealthy: 0.5, flood: 0.01 },
  agedAccount: 2,
  hijackedAccount: 5,
  like: 0.01,
  view: 0.001,
  paidHumanAct: 0.1,
} as const

export interface FarmEngagement {
  /** Accounts the farm bought (0 for a farm reusing another's). */
  readonly accounts: number
  /** Acknowledged likes and views on its targets. */
  readonly likes: number
  readonly views: number
}

export function farmCostUsd(spec: Pick<FarmSpec, 'kind' | 'accountAgeDays' | 'hijacked' | 'paidHumans'>, engagement: FarmEngagement): number {
  const p = FARM_PRICES_USD
  if (spec.paidHumans === true) return round2((engagement.likes + engagement.views) * p.paidHumanAct)
  const perAccount = spec.hijacked === true ? p.hijackedAccount : spec.accountAgeDays !== undefined ? p.agedAccount : p.account[spec.kind]
  return round2(engagement.accounts * perAccount + engagement.likes * p.like + engagement.views * p.view)
}

function round2(value: number): number {
  return Math.round(value * 100) / 100
}
