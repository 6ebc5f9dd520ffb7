// The plan bundled into the k6 script as a literal (built by script-plan.ts): everything the script
// needs besides the workload. Types only, so that the script's program stays small.
import type { RegionSpec } from '../../sim/regions.ts'
import type { ClientSpec } from '../scenario.ts'

export const PLAN_FORMAT = 'likestorm-k6-plan/1'

export interface AdminRequest {
  readonly method: 'GET' | 'POST' | 'DELETE'
  readonly path: string
  /** JSON body, serialized. */
  readonly body: string | null
}

export interface FaultEvent {
  readonly atMs: number
  /** Index in the scenario's fault timeline. */
  readonly fault: number
  readonly action: 'start' | 'stop' | 'purge'
  readonly request: AdminRequest
  /** A region this switch takes down (down: true) or brings back. */
  readonly outage: { readonly region: string; readonly down: boolean } | null
}

export interface ScriptPlan {
  readonly format: typeof PLAN_FORMAT
  readonly exportId: string
  readonly likestormVersion: string
  readonly world: { readonly scenario: string; readonly seed: number; readonly scale: number }
  readonly regions: readonly RegionSpec[]
  /** Base URL per region (a TARGET environment variable overrides them at run time). */
  readonly urls: Readonly<Record<string, string>>
  readonly client: ClientSpec
  /** The k6 scenarios whose iterations run the sessions: the scenario's own, and likestorm_extra when there is one. */
  readonly sessionScenarios: readonly string[]
  /** Arrival-rate scenarios wait for their session's start; VU scenarios (closed model) run sessions back to back. */
  readonly waitForStart: Readonly<Record<string, boolean>>
  readonly durationMs: number
  readonly faults: readonly FaultEvent[]
  /** A state read (replication lag sample) every this many ms of the run. */
  readonly sampleEveryMs: number
  readonly convergence: { readonly fromMs: number; readonly deadlineMs: number; readonly probeEveryMs: number }
  readonly final: {
    readonly startMs: number
    /** ms between two reads of all final VUs together (each VU waits vus x this). */
    readonly readSpacingMs: number
    readonly readAttempts: number
    readonly inboxLimit: number
    readonly vus: number
    readonly iterations: number
    readonly maxDurationMs: number
  }
  /** The faults VU's last state read (the system's counters before the final phase). */
  readonly faultsEndMs: number
}
