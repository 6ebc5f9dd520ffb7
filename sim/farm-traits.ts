// Farm traits: what a farm does beyond its behaviour template (careless | stealthy | flood).
// Every trait is optional and absent by default, so a farm without traits is today's farm, draw
// for draw. Issue 18's farm library: aged/bought accounts, hijacked genuine accounts, paid humans,
// drip and sleeper farms, cross-campaign reuse, farms that return after a purge, view farms.

export interface FarmTraits {
  /** A name for reports (result.json detection.byFarm); default `<kind>-<index>`. */
  readonly label?: string
  /**
   * Aged / bought accounts: created between these many days before the run, with followers and
   * idle history drawn like a person's. Why: REFERENCES' account features (age < 60 days, no
   * followers) are what a bought aged account is sold to defeat.
   */
  readonly accountAgeDays?: readonly [number, number]
  /**
   * Hijacked accounts: they were people (a person's facts, address and viewing and liking history)
   * until the farm took them over at takeoverS; farm behaviour after. Why: account takeover turns
   * every account fact and most of the history into a person's.
   */
  readonly hijacked?: boolean
  /** When a hijacked farm takes its accounts over (required with hijacked). */
  readonly takeoverS?: number
  /**
   * Paid humans: people paid per like, on their own accounts and home networks, who watch every
   * video before liking it for as long as anybody does. Why: the hardest case; nothing but
   * coordination (the same targets) tells them apart.
   */
  readonly paidHumans?: boolean
  /**
   * Drip (stealthy only): each account likes at about this many likes per compressed day, from
   * when it is active to the end of the run, instead of all its likes at once. Why: REFERENCES'
   * stealthy farms "spread over days"; a low steady rate stays under volume rules.
   */
  readonly dripPerDay?: number
  /** Sleeper: dormant (idle for weeks before the run, silent in it) until this time, then active. */
  readonly sleepUntilS?: number
  /**
   * Cross-campaign reuse: the accounts of the farm with this label (the first `accounts` of them)
   * serve this second campaign on its own targets. The farm has no accounts of its own.
   */
  readonly reuseOf?: string
  /**
   * Returns after a purge: at this time the farm runs its campaign again, with its accounts (a
   * purge deleted some: the system refuses those) and replacements bought after the purge
   * (FRESH_ACCOUNT_SHARE of its accounts, silent until then). Why: REFERENCES' purge waves; a
   * purge removes likes, and the farm buys them again.
   */
  readonly returnsAfterPurgeS?: number
  /** A view farm: fake views of the targets, no likes. The systems have no view removal: purges leave the views. */
  readonly viewsOnly?: boolean
}

/** The share of a returning farm's accounts bought only for its return. */
export const FRESH_ACCOUNT_SHARE = 0.3

/** Minimal farm shape the helpers need (the full FarmSpec lives in world-spec.ts). */
interface TraitedFarm extends FarmTraits {
  readonly kind: 'careless' | 'stealthy' | 'flood'
  readonly accounts: number
  readonly startS: number
  readonly burstS: number
}

export function farmLabel(farm: TraitedFarm, index: number): string {
  return farm.label ?? `${farm.kind}-${index}`
}

/** The names of the traits a farm has, in a fixed order (for reports). */
export function farmTraitNames(farm: FarmTraits): string[] {
  const names: string[] = []
  if (farm.accountAgeDays !== undefined) names.push('aged')
  if (farm.hijacked === true) names.push('hijacked')
  if (farm.paidHumans === true) names.push('paidHumans')
  if (farm.dripPerDay !== undefined) names.push('drip')
  if (farm.sleepUntilS !== undefined) names.push('sleeper')
  if (farm.reuseOf !== undefined) names.push('reuse')
  if (farm.returnsAfterPurgeS !== undefined) names.push('returns')
  if (farm.viewsOnly === true) names.push('viewsOnly')
  return names
}

/** When the farm's accounts may first act (sleepers and hijacked farms wait), in seconds. */
export function farmActiveFromS(farm: FarmTraits): number {
  return Math.max(0, farm.sleepUntilS ?? 0, farm.hijacked === true ? (farm.takeoverS ?? 0) : 0)
}

/** A farm whose accounts are its own (not a reuse of another farm's). */
export function ownsAccounts(farm: FarmTraits): boolean {
  return farm.reuseOf === undefined
}

/** Every problem with the farms' traits, as `field: reason` lines. */
export function farmTraitProblems(farms: readonly TraitedFarm[], durationS: number, prefix: string): string[] {
  const problems: string[] = []
  const labels = farms.map(farmLabel)
  const seen = new Set<string>()
  farms.forEach((farm, i) => {
    const at = `${prefix}.farms[${i}]`
    const label = labels[i] as string
    if (seen.has(label)) problems.push(`${at}.label: ${label} is used twice`)
    seen.add(label)
    const traits = farmTraitNames(farm)
    if (farm.kind === 'flood' && traits.length > 0) problems.push(`${at}: a flood takes no farm traits (got ${traits.join(', ')})`)
    const time = (value: number | undefined, field: string): void => {
      if (value !== undefined && !(value >= 0 && value < durationS)) problems.push(`${at}.${field}: must be in [0, ${durationS}), got ${value}`)
    }
    time(farm.sleepUntilS, 'sleepUntilS')
    time(farm.takeoverS, 'takeoverS')
    time(farm.returnsAfterPurgeS, 'returnsAfterPurgeS')
    if (farm.accountAgeDays !== undefined) {
      const [min, max] = farm.accountAgeDays
      if (!(min >= 1 && max >= min && max <= 4000)) problems.push(`${at}.accountAgeDays: needs 1 <= min <= max <= 4000, got [${min}, ${max}]`)
    }
    if (farm.hijacked === true && farm.takeoverS === undefined) problems.push(`${at}.takeoverS: a hijacked farm needs the time of its takeover`)
    if (farm.hijacked !== true && farm.takeoverS !== undefined) problems.push(`${at}.takeoverS: only for a hijacked farm`)
    if (farm.dripPerDay !== undefined) {
      if (farm.kind !== 'stealthy') problems.push(`${at}.dripPerDay: only for a stealthy farm (a careless farm bursts)`)
      if (!(farm.dripPerDay > 0 && farm.dripPerDay <= 1000)) problems.push(`${at}.dripPerDay: must be in (0, 1000], got ${farm.dripPerDay}`)
    }
    const activeFromS = farmActiveFromS(farm)
    if (farm.kind === 'careless' && farm.startS < activeFromS) problems.push(`${at}.startS: the burst starts before the farm is active (${activeFromS}s)`)
    if (farm.returnsAfterPurgeS !== undefined) {
      const firstEndS = farm.kind === 'careless' ? farm.startS + farm.burstS : activeFromS
      if (farm.returnsAfterPurgeS <= firstEndS) problems.push(`${at}.returnsAfterPurgeS: must come after the first campaign (${firstEndS}s)`)
      if (farm.kind === 'careless' && farm.returnsAfterPurgeS + farm.burstS > durationS) problems.push(`${at}.returnsAfterPurgeS: the second burst must end inside the run (${durationS}s)`)
    }
    if (farm.reuseOf !== undefined) {
      const of = labels.indexOf(farm.reuseOf)
      const original = farms[of]
      if (of < 0 || of >= i) problems.push(`${at}.reuseOf: no earlier farm is labelled ${farm.reuseOf}`)
      else if (original !== undefined && (original.reuseOf !== undefined || original.kind === 'flood')) problems.push(`${at}.reuseOf: ${farm.reuseOf} must own its accounts and not be a flood`)
      if (farm.returnsAfterPurgeS !== undefined) problems.push(`${at}: a reused farm cannot also return with fresh accounts`)
    }
  })
  return problems
}
