// The no-behaviour baseline (issue 18): a detector that scores accounts from what the platform
// knows of them, never from what they did together: account age, when it was last active,
// followers and uploads. On a world whose bots differ from people only in behaviour it should do
// poorly; where it scores as well as a behavioural detector, the world's account facts give the
// bots away and the benchmark measures the world's generator, not the detector.
// result.json's detection.baselines.factsOnly runs it beside the purge's detector on the same
// events; `--detector examples/detectors/facts-only.ts` purges with it.
//
// Each fact gives a share in [0, 1]: the younger (within 90 days), the more recently active
// (within a week), the fewer followers and uploads, the higher. The score is 4 × their product, in
// [0, 4]: suspicious on every fact at once, as a rule "new AND active AND few followers AND no
// uploads" would be (a sum let one extreme fact outweigh the others and flagged far more people).
// Continuous, so that thresholds over it draw a curve rather than a few steps. The horizons are
// round numbers an analyst would pick, not the world generator's boundaries.
import { DETECTOR_INTERFACE_VERSION, type AccountDetector, type AccountScore, type DetectorAccount, type DetectorEvent, type DetectorModule, type ScoreRequest } from './detector-module.ts'

const DAY_MS = 86_400_000
/** An account this old or more adds nothing for its age. */
const AGE_HORIZON_DAYS = 90
/** Idle this long or more adds nothing for recency. */
const IDLE_HORIZON_DAYS = 7
/** Followers at which that share is one half. */
const FOLLOWERS_HALF = 10
/** A fact's share from which it is named among the reasons. */
const REASON_SHARE_MIN = 0.5
const SCORE_MAX = 4
const REASON_NAMES = ['new-account', 'recently-active', 'few-followers', 'no-uploads'] as const
/** Every combination of reasons, built once: a score's reasons are one of these 16 lists. */
const REASON_SETS: readonly (readonly string[])[] = Array.from({ length: 1 << REASON_NAMES.length }, (_, mask) => REASON_NAMES.filter((_, bit) => (mask & (1 << bit)) !== 0))

class FactsOnlyDetector implements AccountDetector {
  private readonly createdAtMs: number[] = []
  private readonly lastActiveAtMs: number[] = []
  private readonly uploads: number[] = []
  private readonly followers: number[] = []

  account(account: DetectorAccount): void {
    this.createdAtMs[account.user] = account.createdAtMs
    this.lastActiveAtMs[account.user] = account.lastActiveAtMs
    this.uploads[account.user] = account.uploads
    this.followers[account.user] = account.followers
  }

  like(event: DetectorEvent): void {
    this.active(event)
  }

  unlike(event: DetectorEvent): void {
    this.active(event)
  }

  view(event: DetectorEvent): void {
    this.active(event)
  }

  score({ nowMs }: ScoreRequest): AccountScore[] {
    const scores: AccountScore[] = []
    for (let user = 0; user < this.createdAtMs.length; user++) {
      const created = this.createdAtMs[user]
      if (created === undefined) continue
      const shares = [
        fading((nowMs - created) / DAY_MS, AGE_HORIZON_DAYS),
        fading((nowMs - (this.lastActiveAtMs[user] as number)) / DAY_MS, IDLE_HORIZON_DAYS),
        FOLLOWERS_HALF / (FOLLOWERS_HALF + (this.followers[user] as number)),
        1 / (1 + (this.uploads[user] as number)),
      ]
      let score = SCORE_MAX
      let mask = 0
      shares.forEach((share, bit) => {
        score *= share
        if (share >= REASON_SHARE_MIN) mask |= 1 << bit
      })
      scores.push({ user, score, reasons: REASON_SETS[mask] as readonly string[] })
    }
    return scores
  }

  private active({ user, atMs }: DetectorEvent): void {
    if (atMs > (this.lastActiveAtMs[user] ?? Number.POSITIVE_INFINITY)) this.lastActiveAtMs[user] = atMs
  }
}

/** 1 at 0 days, falling linearly to 0 at the horizon (and 1 for a time in the future). */
function fading(days: number, horizonDays: number): number {
  return Math.min(1, Math.max(0, 1 - days / horizonDays))
}

export const factsOnlyDetector: DetectorModule = {
  interfaceVersion: DETECTOR_INTERFACE_VERSION,
  name: 'facts-only',
  description: 'the no-behaviour baseline: account age, last activity, followers and uploads, nothing the account did with others',
  // Every fact about 0.85 suspicious or more (4 × 0.84^4 ≈ 2).
  purgeScoreMin: 2,
  create: () => new FactsOnlyDetector(),
}
