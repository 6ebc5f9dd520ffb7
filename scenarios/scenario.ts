// A scenario: a world, a load profile in k6's terms, a fault timeline, the system's capacity,
// the checks to run and what each counting strategy is expected to show.
import type { Options } from 'k6/options'
import type { CheckConfig, CheckName } from '../sim/checks/check-types.ts'
import type { FaultSpec } from '../sim/faults.ts'
import type { WorldSpecInput } from '../sim/world-spec.ts'
import type { ClientSpec } from './protocol/client-spec.ts'

export type { ClientSpec } from './protocol/client-spec.ts'

export interface SystemSpec {
  /** Requests per second each region serves before it queues (scaled with --scale). */
  readonly capacityRps: Readonly<Record<string, number>>
  /** The counter cache's capacity as a share of the region's (default 0.9). */
  readonly cacheCapacityRatio?: number
}

export const DEFAULT_CLIENT: ClientSpec = {
  timeoutMs: 2000,
  maxAttempts: 3,
  retryBudgetRatio: 0.2,
  backoffBaseMs: 250,
  failoverStickyMs: 5000,
}

export interface ExpectedOutcome {
  /** Checks this strategy is expected to fail on the default seed (empty: passes). */
  readonly failing: readonly CheckName[]
}

export interface Scenario {
  readonly name: string
  readonly title: string
  /** What the scenario models and what a correct system must show. */
  readonly summary: string
  readonly durationS: number
  /**
   * The smallest --scale at which the scenario still means what it says (say, farms still large
   * enough for lockstep detection to see); smaller scales are refused with LS_BAD_SCALE.
   */
  readonly minScale?: number
  readonly world: WorldSpecInput
  /** The load profile as k6 options; the genuine session rate comes from its arrival-rate scenarios. */
  readonly load: Options
  readonly faults: readonly FaultSpec[]
  readonly system: SystemSpec
  readonly client?: Partial<ClientSpec>
  readonly checks?: {
    /** Checks to run; by default every invariant, plus purge-accuracy when a purge runs and goodput when configured. */
    readonly run?: readonly CheckName[]
    readonly config?: CheckConfig
  }
  /** What each strategy is expected to show on the default seed (absent: no expectation, e.g. swarm runs). */
  readonly expect: { readonly robust: ExpectedOutcome; readonly naive?: ExpectedOutcome }
}

/**
 * A scenario as a user writes it in a file: a name, and either every field or `extends`, a library
 * scenario whose fields it starts from. What the file gives replaces the base's field; `world`,
 * `system`, `client` and `checks` are merged one level deep (a file sets `world.videos` and keeps
 * the base's regions). `expect` defaults to the base's, or to "robust passes every check".
 */
export interface ScenarioDefinition extends Partial<Omit<Scenario, 'name' | 'expect'>> {
  readonly name: string
  /** A library scenario's name (`likestorm list`) to start from. */
  readonly extends?: string
  readonly expect?: { readonly robust: ExpectedOutcome; readonly naive?: ExpectedOutcome }
}

/**
 * Type a scenario file's default export: `export default defineScenario({ … })`. Returns its
 * argument; `likestorm run` resolves `extends` and reports every problem with the file's name.
 */
export function defineScenario(definition: ScenarioDefinition): ScenarioDefinition {
  return definition
}
