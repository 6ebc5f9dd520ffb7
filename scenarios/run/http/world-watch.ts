// Whether the target serves the run's world. Every user and video id the driver sends comes from
// the world it built (scenario, seed, scale); a target built from another world does not know most
// of them and answers 404 with the catalogue's unknown-user/unknown-video codes. Judged once, on
// the first answers of the run, so the mistake stops the run in its first seconds instead of
// ending, minutes later, as a run in which every request failed.

/** The mock server's codes for ids it does not know (mock-server/core/errors.ts). */
export const UNKNOWN_ID_CODES: ReadonlySet<string> = new Set(['LS_CORE_UNKNOWN_USER', 'LS_CORE_UNKNOWN_VIDEO'])

/**
 * Answers judged. In the run's own world no id is ever unknown; a hundred answers come within
 * the first tenth of a second of any library scenario, and are enough that half of them being
 * unknown cannot be a handful of odd requests.
 */
export const WORLD_WATCH_ANSWERS = 100
/** Share of those answers with an unknown-id code that says the target serves another world. */
export const WORLD_MISMATCH_SHARE = 0.5

export class WorldWatch {
  private answers = 0
  private unknown = 0
  private verdict: string | undefined | null = null

  /** Feed one answer's error code (undefined for a success); returns the mismatch once it is decided. */
  observe(code: string | undefined): string | undefined {
    if (this.verdict !== null) return undefined
    this.answers++
    if (code !== undefined && UNKNOWN_ID_CODES.has(code)) this.unknown++
    if (this.answers < WORLD_WATCH_ANSWERS) return undefined
    this.verdict = this.unknown >= WORLD_MISMATCH_SHARE * this.answers ? `${this.unknown} of the first ${this.answers} answers named an unknown user or video (${[...UNKNOWN_ID_CODES].join(', ')})` : undefined
    return this.verdict
  }
}

/** The one line a user reads: what is wrong and the two ways to fix it. */
export function worldMismatchMessage({ target, evidence, scenario, seed, scale }: { target: string; evidence: string; scenario: string; seed: number; scale: number }): string {
  return (
    `the target ${target} serves another world: ${evidence}. Run with the scenario, --seed and --scale the server was started with, ` +
    `or start the server for this run: likestorm serve --scenario ${scenario} --seed ${seed} --scale ${scale}`
  )
}
