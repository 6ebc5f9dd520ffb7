// bounded-staleness: an answer is held to the age it claims. A read-back "not liked, fresh, as of
// the world's first instant" slips past no-flip (nothing stood then) and fails here; so does a
// stale answer older than the scenario allows, and one from after it was answered. A correct
// system's fresh answers lag by its replication delay, or by a partition of their region while
// it lasts; a target on another clock is judged at the offset most of its answers agree with.
import { describe, expect, it } from 'vitest'
import { checkBoundedStaleness } from '../../../sim/checks/bounded-staleness.ts'
import { estimateOffsetMs } from '../../../sim/checks/clock-offset.ts'
import { checkNoFlip } from '../../../sim/checks/no-flip.ts'
import { type History, Outcome } from '../../../sim/history.ts'
import { OpKind } from '../../../sim/operation.ts'
import { runScenario } from '../../../scenarios/run/runner.ts'
import { swarmScenario } from '../../../scenarios/swarm.ts'
import { validateScenario } from '../../../scenarios/validate.ts'
import { run, scenario } from '../../helpers/runs.ts'
import { contextOf, copyHistory, restamp } from './context.ts'

/** A swarm run on which robust once failed bounded-staleness: it passes, or the first example says why not. */
function expectSwarmRunPasses(seed: number): void {
  const { result } = runScenario({ scenario: swarmScenario(seed), seed, scale: 1 })
  const verdict = result.checks.find((c) => c.name === 'bounded-staleness')
  expect(verdict?.status, verdict?.examples[0]?.message).toBe('pass')
}

describe('bounded-staleness', () => {
  const outcome = run('like-flap', { scale: 0.25 })
  const readBacks = (history: History): number[] => {
    const rows: number[] = []
    for (let i = 0; i < history.length; i++) if (history.isAcknowledged(i, OpKind.ReadLiked)) rows.push(i)
    return rows
  }

  it('passes on robust: fresh answers lag by its replication delay', () => {
    const verdict = checkBoundedStaleness(contextOf(outcome))
    expect(verdict.status).toBe('pass')
    expect(verdict.values['freshLagMaxMs']).toBeLessThan(500)
  })

  it('fails read-backs that say "not liked, fresh, as of 0", which no-flip cannot see, naming video, region, claimed and actual time', () => {
    const history = copyHistory(outcome.history)
    for (const i of readBacks(history)) {
      history.likedFlag(i, { liked: false, stale: false, asOfMs: 0 })
    }
    const ctx = contextOf(outcome, { history })
    // Judged at the time it claims, no read-back is of a like that stood: no-flip has nothing to say.
    expect(checkNoFlip(ctx).status).not.toBe('fail')
    const verdict = checkBoundedStaleness(ctx)
    expect(verdict.status).toBe('fail')
    expect(verdict.values['freshTooOld']).toBeGreaterThan(0)
    const late = verdict.examples[0]
    expect(late?.message).toMatch(/read back their like of v_\w+ in [a-z-]+ at [\d.]+s, marked fresh, as of 0\.000s: [\d.]+s before its request; a fresh one may lag by at most 2\.000s/)
    expect(late?.message).toContain(late?.videoId as string)
    expect(late?.message).toContain(late?.region as string)
    expect(late?.message).toContain(`at ${((late?.atMs as number) / 1000).toFixed(3)}s`)
  })

  it("passes robust's last-known-good values however old, and fails one older than its region had already answered", () => {
    const outage = run('cache-outage', { scale: 0.25 })
    const honest = checkBoundedStaleness(contextOf(outage))
    expect(honest.status).toBe('pass')
    // A cold video's last good read may date from long before the outage.
    expect(honest.values['staleAgeMaxMs']).toBeGreaterThan(60_000)
    const history = copyHistory(outage.history)
    let i = 0
    while (i < history.length && !(history.isStale(i) && history.outcomeOf(i) === Outcome.Ok && history.invokeMsOf(i) > 60_000)) i++
    restamp(history, i, { asOfMs: history.asOfMsOf(i) - 10_000 })
    const older = checkBoundedStaleness(contextOf(outage, { history }))
    expect(older.status).toBe('fail')
    expect(older.values['staleTooOld']).toBe(1)
    expect(older.examples[0]?.message).toMatch(/marked stale, as of [\d.]+s: [\d.]+s before its request; its region had already answered fresh about it as of [\d.]+s: a last-known-good value is no older/)
    // A history not in the order its attempts were sent (an ingested k6 run's may not be) is
    // sorted by time before it is judged, not folded as it comes: the same verdict either way.
    const order = Array.from({ length: history.length }, (_, row) => row)
    for (let row = 0; row + 1 < order.length; row += 2) if (history.invokeMsOf(row) !== history.invokeMsOf(row + 1)) [order[row], order[row + 1]] = [row + 1, row]
    const shuffled = copyHistory(history, order)
    expect(shuffled.invokeMsOf(0)).toBeGreaterThan(shuffled.invokeMsOf(1))
    const resorted = checkBoundedStaleness(contextOf(outage, { history: shuffled }))
    expect(resorted.values).toEqual(older.values)
    expect(resorted.examples[0]?.message).toBe(older.examples[0]?.message)
  })

  it('does not take a write\'s answer, which may replay another region\'s, for what its own region told', () => {
    // swarm-59469696371079: a like applied in us-west 7 ms before its outage, its answer lost,
    // failed over to us-east with the same key and answered there from the idempotency store
    // "fresh as of 21.870s" (us-west's watermark). us-east itself last read the video fresh as
    // of 10.920s, and its later stale answers say so: robust failed as "older than its region
    // had already answered".
    // swarm-118666721872868: a duplicate like sent to us-east, answered there from the store with
    // the answer eu-west gave the first (as of 29.880 s); us-east's own last fresh read was 3.610 s.
    for (const seed of [59469696371079, 118666721872868]) expectSwarmRunPasses(seed)
  })

  it('lets a fresh answer be as old as a chain of cuts of its region: an outage of a peer, then a partition from it', () => {
    // swarm-74930377801234: us-west down 7-13 s, partitioned from ap-southeast 12-36 s. At 33 s
    // ap-southeast answered fresh as of 7 s, its last news of us-west: robust failed as "5 s
    // before the partition began", the outage's window (to 13 s + the catch-up) having ended.
    expectSwarmRunPasses(74930377801234)
  })

  it('bounds a stale answer its region had given nothing fresher about by maxStaleMs, which a scenario may widen', () => {
    const history = copyHistory(outcome.history)
    // The first answer about a video's counts in a region, late in the run: marked stale, 70 s old.
    const told = new Set<number>()
    let first = -1
    const rows = Array.from({ length: history.length }, (_, i) => i).sort((a, b) => history.invokeMsOf(a) - history.invokeMsOf(b))
    for (const i of rows) {
      const kind = history.kindOf(i)
      if (kind === OpKind.View || kind === OpKind.ReadLiked || history.outcomeOf(i) === Outcome.Fail) continue
      const key = history.videoOf(i) * 8 + history.regionOf(i)
      if (kind === OpKind.ReadVideo && history.outcomeOf(i) === Outcome.Ok && !told.has(key) && history.invokeMsOf(i) > 90_000) {
        first = i
        break
      }
      told.add(key)
    }
    expect(first).toBeGreaterThanOrEqual(0)
    restamp(history, first, { stale: true, asOfMs: history.invokeMsOf(first) - 70_000 })
    const verdict = checkBoundedStaleness(contextOf(outcome, { history }))
    expect(verdict.status).toBe('fail')
    expect(verdict.values['staleTooOld']).toBe(1)
    expect(verdict.examples[0]?.message).toMatch(/marked stale, as of [\d.]+s: 70\.000s before its request; a stale answer its region had given nothing fresher about may be at most 60\.000s old/)
    expect(checkBoundedStaleness(contextOf(outcome, { history, config: { 'bounded-staleness': { maxStaleMs: 80_000 } } })).status).toBe('pass')
  })

  it("takes what a target answered the harness before the run as its region's last known good, and no older", () => {
    // Against a --target, the freshness inspection reads a sample of videos before the clock
    // starts; robust remembers each as a last known good. A cold video's first answer in the run,
    // stale from a cache timeout 45 s in, dates from that read: 5 s before the run began. Taken
    // as an answer about nothing told before, it was "at most 60 s old" and failed (the
    // region-failover run over http at time scale 0.1, where 0.5 s of wall before it is 5 s).
    const history = copyHistory(outcome.history)
    const told = new Set<number>()
    let first = -1
    const rows = Array.from({ length: history.length }, (_, i) => i).sort((a, b) => history.invokeMsOf(a) - history.invokeMsOf(b))
    for (const i of rows) {
      const kind = history.kindOf(i)
      if (kind === OpKind.View || kind === OpKind.ReadLiked || history.outcomeOf(i) === Outcome.Fail) continue
      const key = history.videoOf(i) * 8 + history.regionOf(i)
      if (kind === OpKind.ReadVideo && history.outcomeOf(i) === Outcome.Ok && !told.has(key) && history.invokeMsOf(i) > 60_000) {
        first = i
        break
      }
      told.add(key)
    }
    expect(first).toBeGreaterThanOrEqual(0)
    restamp(history, first, { stale: true, asOfMs: -5000 })
    const unexplained = checkBoundedStaleness(contextOf(outcome, { history }))
    expect(unexplained.status).toBe('fail')
    expect(unexplained.examples[0]?.message).toMatch(/marked stale, as of 5\.000s before the run began: [\d.]+s before its request; a stale answer its region had given nothing fresher about may be at most 60\.000s old/)
    const region = history.regionOf(first)
    const video = history.videoOf(first)
    // The inspection's answer, in the history: the stale one is exactly that last known good.
    const inspected = copyHistory(history)
    inspected.countsReadBefore.push({ region, video, asOfMs: -5000 })
    const honest = checkBoundedStaleness(contextOf(outcome, { history: inspected }))
    expect(honest.status).toBe('pass')
    expect(honest.values['staleAgeMaxMs']).toBeGreaterThan(65_000)
    // Older than what the region answered before the run, it fails whatever its age.
    const older = copyHistory(history)
    older.countsReadBefore.push({ region, video, asOfMs: 30_000 - 5000 })
    expect(checkBoundedStaleness(contextOf(outcome, { history: older })).values['staleTooOld']).toBe(1)
    // Another region's read or another video's tells nothing about this one.
    const elsewhere = copyHistory(history)
    elsewhere.countsReadBefore.push({ region: (region + 1) % 4, video, asOfMs: -5000 }, { region, video: video + 1, asOfMs: -5000 })
    expect(checkBoundedStaleness(contextOf(outcome, { history: elsewhere })).status).toBe('fail')
  })

  it('fails an answer that claims a time after it was answered', () => {
    const history = copyHistory(outcome.history)
    const i = readBacks(history)[3] as number
    restamp(history, i, { asOfMs: history.completeMsOf(i) + 5000 })
    const verdict = checkBoundedStaleness(contextOf(outcome, { history }))
    expect(verdict.status).toBe('fail')
    expect(verdict.values['fromFuture']).toBe(1)
    expect(verdict.examples[0]?.message).toMatch(/5\.000s after it was answered/)
  })

  it('lets a fresh answer be as old as a partition of its region, and no older', () => {
    const partition = run('partition', { scale: 0.25 })
    const ctx = contextOf(partition)
    expect(checkBoundedStaleness(ctx).status).toBe('pass')
    // robust's live state in us-east and eu-west is as old as the partition while it lasts: without
    // the partition in the timeline those answers are too old.
    const unexplained = checkBoundedStaleness({ ...ctx, faults: [] })
    expect(unexplained.status).toBe('fail')
    expect(unexplained.examples.every((e) => e.region === 'us-east' || e.region === 'eu-west')).toBe(true)
  })

  it('judges a target on an uncalibrated clock at the offset most of its answers agree with', () => {
    const history = copyHistory(outcome.history)
    history.asOfSlackMs = Infinity
    // The target's clock runs 1e12 ms ahead of ours: consistent, so every claim still holds.
    for (let i = 0; i < history.length; i++) if (!Number.isNaN(history.asOfMsOf(i))) restamp(history, i, { asOfMs: history.asOfMsOf(i) + 1e12 })
    const consistent = checkBoundedStaleness(contextOf(outcome, { history }))
    expect(consistent.status).toBe('pass')
    // Any offset within the grace of every claim will do.
    expect(Math.abs((consistent.values['clockOffsetMs'] as number) + 1e12)).toBeLessThan(4000)
    // Read-backs that all claim the target's 0 agree with no other answer, nor with each other.
    for (const i of readBacks(history)) restamp(history, i, { asOfMs: 0 })
    const lying = checkBoundedStaleness(contextOf(outcome, { history }))
    expect(lying.status).toBe('fail')
    expect(lying.values['freshTooOld']).toBeGreaterThan(readBacks(history).length * 0.9)
    expect(lying.observed).toContain('not calibrated')
  })

  it('has nothing to judge when no answer claims a time', () => {
    const history = copyHistory(outcome.history)
    for (let i = 0; i < history.length; i++) restamp(history, i, { asOfMs: Number.NaN })
    const verdict = checkBoundedStaleness(contextOf(outcome, { history }))
    expect(verdict.status).toBe('not-applicable')
    expect(verdict.observed).toMatch(/^nothing to judge: none of [\d]+ answers claimed a time/)
  })

  it('refuses bounds and shares that are not', () => {
    const base = scenario('baseline')
    const problems = validateScenario({
      ...base,
      checks: { config: { 'bounded-staleness': { maxStaleMs: -1, freshGraceMs: Number.NaN }, exercised: { minAcknowledgedShare: { likes: 2 } } } },
    })
    expect(problems).toEqual([
      'checks.config.exercised.minAcknowledgedShare.likes: must be a share between 0 and 1',
      "checks.config['bounded-staleness'].freshGraceMs: must be a finite number of ms >= 0",
      "checks.config['bounded-staleness'].maxStaleMs: must be a finite number of ms > 0",
    ])
  })
})

describe('estimateOffsetMs', () => {
  it('takes the point most ranges share, nearest the calibrated reading', () => {
    expect(estimateOffsetMs([0, 5, 100], [10, 15, 110], Infinity)).toBe(5)
    expect(estimateOffsetMs([-20, -15, 100], [-10, -5, 110], Infinity)).toBe(-10)
    // Within a calibration of +-3 ms only 0 and its surroundings may be chosen.
    expect(estimateOffsetMs([0, 5, 100], [10, 15, 110], 3)).toBe(0)
    expect(estimateOffsetMs([-2, 2.5], [-1, 4], 3)).toBe(-1)
  })
})
