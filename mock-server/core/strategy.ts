// The systems the command line offers, by name. A strategy is a system module (systems/system.ts):
// `robust` is what we would ship; `naive` reproduces the 2020-07-23 incident. Variants with a
// planted defect live in the tests (test/helpers/planted-defects.ts), never here.
import { naive } from '../systems/naive.ts'
import { robust } from '../systems/robust.ts'
import type { SystemModule } from '../systems/system.ts'

/** A system under test, as the runner and the servers pass it around. */
export type StrategyBehaviour = SystemModule

export const ROBUST: StrategyBehaviour = robust
export const NAIVE: StrategyBehaviour = naive

export const STRATEGIES: Readonly<Record<string, StrategyBehaviour>> = { robust: ROBUST, naive: NAIVE }

/** Names accepted on the command line. */
export const PUBLIC_STRATEGY_NAMES = Object.keys(STRATEGIES)

export function strategyByName(name: string): StrategyBehaviour | undefined {
  return STRATEGIES[name]
}
