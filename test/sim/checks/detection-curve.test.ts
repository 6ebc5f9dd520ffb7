// The curve over score thresholds: built from each account's highest score at the bot purges,
// bounded, and monotone the way a threshold sweep must be (lower thresholds never flag fewer
// accounts, never find fewer bots, never hit fewer people); recall at a fixed false-positive rate
// and at a fixed precision read off every threshold.
import { describe, expect, it } from 'vitest'
import { CURVE_POINTS_MAX, type CurvePoint, FIXED_GENUINE_FPR, highestScores, scoreCurve } from '../../../sim/checks/detection-curve.ts'
import { UserKind } from '../../../sim/population.ts'

/** `bots` careless bots then `people` genuine accounts; scores by index (NaN: never scored). */
function world(bots: number, people: number): Uint8Array {
  return Uint8Array.from({ length: bots + people }, (_, user) => (user < bots ? UserKind.CarelessBot : UserKind.Genuine))
}

describe('scoreCurve', () => {
  it('is monotone along falling thresholds, bounded, and ends where every scored account is flagged', () => {
    const kind = world(200, 5000)
    // Bots score high with noise, people low with a tail that overlaps them; 1 in 3 people never scored.
    const highest = Float64Array.from(kind, (k, user) => (k === UserKind.CarelessBot ? 5 + ((user * 37) % 100) / 20 : user % 3 === 0 ? Number.NaN : ((user * 53) % 1000) / 150))
    const { points, recallAtGenuineFpr, recallAtPrecision } = scoreCurve(highest, kind)
    expect(points.length).toBeGreaterThanOrEqual(5)
    expect(points.length).toBeLessThanOrEqual(CURVE_POINTS_MAX)
    for (let i = 1; i < points.length; i++) {
      const before = points[i - 1] as CurvePoint
      const after = points[i] as CurvePoint
      expect(after.scoreMin).toBeLessThan(before.scoreMin)
      expect(after.flagged).toBeGreaterThanOrEqual(before.flagged)
      expect(after.recall as number).toBeGreaterThanOrEqual(before.recall as number)
      expect(after.genuineFpr as number).toBeGreaterThanOrEqual(before.genuineFpr as number)
    }
    const scored = highest.filter((score) => !Number.isNaN(score)).length
    expect(points.at(-1)?.flagged).toBe(scored)
    expect(points.at(-1)?.recall).toBe(1)
    expect(points[0]?.precision).toBe(1)
    // Read off every threshold: the best recall whose people flagged stay within the rate.
    expect(recallAtGenuineFpr.genuineFpr).toBe(FIXED_GENUINE_FPR)
    const people = 5000
    const flaggedPeople = Array.from(kind.keys()).filter((user) => kind[user] === UserKind.Genuine && (highest[user] as number) >= (recallAtGenuineFpr.scoreMin as number)).length
    expect(flaggedPeople / people).toBeLessThanOrEqual(FIXED_GENUINE_FPR)
    expect(recallAtGenuineFpr.recall).toBeGreaterThan(0.2)
    expect(recallAtPrecision.recall).toBeGreaterThanOrEqual(recallAtGenuineFpr.recall)
  })

  it('a detector that cannot tell bots from people: precision stays at the base rate, no recall at 0.1% false positives', () => {
    const kind = world(100, 900)
    const highest = Float64Array.from(kind, (_, user) => (user * 7919) % 1000) // the same spread for both
    const { points, recallAtGenuineFpr } = scoreCurve(highest, kind)
    expect(points.at(-1)?.precision).toBeCloseTo(0.1, 10)
    expect(recallAtGenuineFpr.recall).toBeLessThan(0.05)
  })

  it("an account's score is its highest over the purges", () => {
    const highest = highestScores(
      [
        { name: 'd', purgeScoreMin: 1, users: [0, 2], scores: [0.5, 3] },
        { name: 'd', purgeScoreMin: 1, users: [0, 1], scores: [2, 1] },
      ],
      4,
    )
    expect(Array.from(highest)).toEqual([2, 1, 3, Number.NaN])
  })
})
