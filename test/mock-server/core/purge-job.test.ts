// Purges as jobs that run in bounded slices (beginBotPurge / beginInactivePurge, step, report):
// the same report and the same end state as the all-at-once purge, requests served between
// slices, and a purge that stays consistent with what those requests do.
import { describe, expect, it } from 'vitest'
import { WorkSlice, runSteps } from '../../../mock-server/core/work-slice.ts'
import { botFarmWorld } from '../../helpers/bot-farm-world.ts'
import type { EngagementCore } from '../../../mock-server/core/engagement-core.ts'
import type { PurgeJob } from '../../../mock-server/core/purge-job.ts'

/** Step a job to its end at one time; the number of slices it took. */
function stepAll(job: PurgeJob, nowMs: number): number {
  let slices = 1
  while (!job.step(nowMs)) slices++
  return slices
}

function digests(core: EngagementCore, nowMs: number): string[] {
  return core.state(nowMs).regions.map((region) => `${region.countsDigest}/${region.likeTotal}`)
}

describe('a purge in slices', () => {
  it('bot purge: many bounded slices, the same report and end state as the purge run at once', () => {
    const whole = botFarmWorld({ bots: 200, likesPerBot: 30 })
    const sliced = botFarmWorld({ bots: 200, likesPerBot: 30 })
    const expected = whole.core.runBotPurge(whole.endMs)
    expect(expected.accounts).toHaveLength(200)
    expect(expected.removedLikes).toHaveLength(6000)
    const job = sliced.core.beginBotPurge(sliced.endMs, { unitsPerSlice: 100 })
    expect(job.done).toBe(false)
    expect(() => job.report).toThrow(/not done/)
    const slices = stepAll(job, sliced.endMs)
    // 6,000 removals alone take 60 slices of 100 units; detection more
    expect(slices).toBeGreaterThan(100)
    expect(job.report).toEqual(expected)
    expect(digests(sliced.core, sliced.endMs)).toEqual(digests(whole.core, whole.endMs))
    expect(sliced.core.state(sliced.endMs).counters).toMatchObject({ purgedAccounts: 200, purgedLikes: 6000 })
    // a done job stays done
    expect(job.step(sliced.endMs + 1)).toBe(true)
  })

  it('inactive purge: the same report and end state as the purge run at once', () => {
    const whole = botFarmWorld({ bots: 100, likesPerBot: 20 })
    const sliced = botFarmWorld({ bots: 100, likesPerBot: 20 })
    // every account was last active before the purge: an idle threshold of 0 days takes them all
    const expected = whole.core.runInactivePurge(whole.endMs, { idleDays: 0 })
    const job = sliced.core.beginInactivePurge(sliced.endMs, { idleDays: 0, unitsPerSlice: 37 })
    expect(stepAll(job, sliced.endMs)).toBeGreaterThan(10)
    expect(job.report).toEqual(expected)
    expect(expected.removedLikes.length).toBeGreaterThan(0)
    expect(digests(sliced.core, sliced.endMs)).toEqual(digests(whole.core, whole.endMs))
  })

  it('requests are served between slices; a bot\'s like made before its turn is removed too, and after its turn it is refused', () => {
    const { core, endMs } = botFarmWorld({ bots: 200, likesPerBot: 30 })
    const job = core.beginBotPurge(endMs, { unitsPerSlice: 50 })
    let nowMs = endMs
    let served = 0
    let lateLikeAcked = false
    let refusedAfterDeletion = false
    for (let slice = 0; !job.step(nowMs); slice++) {
      nowMs += 1
      // a genuine user keeps reading in another region
      if (core.readVideo({ nowMs, region: 'eu-west', videoId: 'v1' }).ok) served++
      // a bot keeps liking a video it had not liked (within its network's rate limit) until it is deleted
      if (slice % 25 !== 0) continue
      const like = core.like({ nowMs, region: 'ap-southeast', userId: 'b100', videoId: 'v1' })
      if (like.ok) lateLikeAcked = true
      else if (like.code === 'LS_CORE_ACCOUNT_DELETED') refusedAfterDeletion = true
    }
    expect(served).toBeGreaterThan(100)
    expect(lateLikeAcked && refusedAfterDeletion).toBe(true)
    expect(job.report.removedLikes).toContainEqual({ userId: 'b100', videoId: 'v1' })
    // no like of a purged bot is left anywhere: the counts are the genuine likes alone
    const totals = core.state(nowMs + 1000).regions.map((region) => region.likeTotal)
    expect(totals).toEqual([600, 600, 600])
  })

  it('detects over the like log as it was when the purge began: a burst after that is left to the next purge', () => {
    const { core, endMs } = botFarmWorld({ bots: 100, likesPerBot: 30 })
    const job = core.beginBotPurge(endMs, { unitsPerSlice: 10 })
    // Once the purge has begun (not a slice run yet), 30 genuine accounts each like 30 videos
    // within a second without viewing them: what the rules flag, had detection seen it.
    for (let i = 0; i < 30; i++) {
      for (let k = 0; k < 30; k++) expect(core.like({ nowMs: endMs + 1 + k, region: 'us-east', userId: `g${i}`, videoId: `v${100 + k}` }).ok).toBe(true)
    }
    stepAll(job, endMs + 100)
    expect(job.report.accounts).toHaveLength(100)
    expect(job.report.accounts.every((account) => account.userId.startsWith('b'))).toBe(true)
    // the next purge sees the burst
    const next = core.runBotPurge(endMs + 200)
    expect(next.accounts.map((account) => account.userId).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `g${i}`).sort())
  })
})

describe('WorkSlice', () => {
  it('ends a slice after its units, weighted ticks count for their weight', () => {
    const slice = new WorkSlice(3)
    expect([slice.tick(), slice.tick(), slice.tick(), slice.tick()]).toEqual([false, false, true, false])
    expect(slice.tick(5)).toBe(true)
    expect(() => new WorkSlice(0)).toThrow()
  })

  it('runSteps runs a step generator to its end', () => {
    function* count(): Generator<void, number, void> {
      let n = 0
      for (let i = 0; i < 5; i++) {
        n += i
        yield
      }
      return n
    }
    expect(runSteps(count())).toBe(10)
  })
})
