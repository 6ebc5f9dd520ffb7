// How many VUs an open-model run may keep busy. An operation holds its VU until its last attempt
// is answered or timed out: against a slow system (naive in overload, whose queue holds every
// attempt until the client gives up) that is the client's retry horizon, far longer than the
// scenario's maxVUs were sized for. Dropping arrivals then would turn the system's slowness into
// the load generator's fault (k6's dropped_iterations, an inconclusive verdict) and offer it less
// load than mode sim, whose clients are never short of a VU. So the budget is sized from the
// schedule, as the k6 export's is: the scenario's maxVUs, or, when more, one VU for every
// operation released within the retry horizon (each may still be waiting). An arrival is dropped
// only when both are taken, which means an operation outlived the horizon: the generator itself
// is behind. Bounded by the schedule: the release times kept are those of the last horizon.

export class VuBudget {
  private readonly scenarioVus: number
  private readonly horizonWallMs: number
  /** Release times (wall ms) within the horizon, oldest first, from `head` on. */
  private releases: number[] = []
  private head = 0

  constructor({ scenarioVus, horizonWallMs }: { scenarioVus: number; horizonWallMs: number }) {
    this.scenarioVus = scenarioVus
    this.horizonWallMs = horizonWallMs
  }

  /** Whether an arrival at `nowMs` (wall) may start while `busy` VUs are busy; a start is recorded. */
  admit(busy: number, nowMs: number): boolean {
    this.forgetBefore(nowMs - this.horizonWallMs)
    // Every busy VU holds an operation released within the horizon, unless one outlived it.
    if (busy >= Math.max(this.scenarioVus, this.releases.length - this.head + 1)) return false
    this.releases.push(nowMs)
    return true
  }

  private forgetBefore(cutMs: number): void {
    while (this.head < this.releases.length && (this.releases[this.head] as number) < cutMs) this.head++
    // Compact once the forgotten part is the larger half: amortized O(1) per release.
    if (this.head > 1024 && this.head * 2 > this.releases.length) {
      this.releases = this.releases.slice(this.head)
      this.head = 0
    }
  }
}
