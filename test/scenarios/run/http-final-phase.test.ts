// The final reads over /v1 with a scripted client (no sockets): a target without liked lists has
// each pair that may hold a like read back through the read-back route, and what it says becomes
// the region's like state; a region that answers nothing is given up on after a few reads instead
// of being waited for read after read, while the others are read in full; past the bound on
// read-backs, the same seeded sample of exactly the bound's size is read in every region.
import { describe, expect, it } from 'vitest'
import type { Answer, SendRequest } from '../../../scenarios/run/http/http-client.ts'
import { runHttpFinalPhase, SILENT_READS_MAX, type FinalPhaseOptions } from '../../../scenarios/run/http/http-final-phase.ts'
import { pairOf, type FinalSnapshot, type RegionFinal } from '../../../sim/history.ts'
import { Rng } from '../../../sim/rng.ts'
import { copyHistory } from '../../sim/checks/context.ts'
import { run } from '../../helpers/runs.ts'

const outcome = run('baseline', { scale: 0.05 })
const { population } = outcome
const simFinal = outcome.history.final as FinalSnapshot
const REGIONS = population.regionIds
/** The pairs a like of the run may have made (acknowledged or not surely failed): what a read-back asks about. */
const mayHold = new Set<number>()
for (let i = 0; i < outcome.history.length; i++) if (outcome.history.mayHaveLiked(i)) mayHold.add(pairOf(outcome.history.videoOf(i), outcome.history.userOf(i)))
const sorted = (pairs: Iterable<number>): number[] => [...pairs].sort((a, b) => a - b)

function answer(status: number, body: unknown): Answer {
  return { status, body, retryAfterS: undefined, sentAt: 0, doneAt: 0, failure: status === 0 ? 'timeout' : undefined }
}

/** A target whose state is the sim run's final one (us-east's), answering /v1 without liked lists; `silent` regions never answer. */
function scriptedTarget(silent: ReadonlySet<string>): { send: (request: SendRequest) => Promise<Answer>; paths: string[] } {
  const east = simFinal.regions[0]
  const userOf = new Map([...population.userIds].map((id, user) => [id, user]))
  const videoOf = new Map([...population.videoIds].map((id, video) => [id, video]))
  const paths: string[] = []
  return {
    paths,
    send: async ({ region, path }) => {
      paths.push(`${region} ${path}`)
      if (silent.has(region)) return answer(0, undefined)
      const [, , collection, id, sub, subId] = path.split('?')[0]?.split('/').map(decodeURIComponent) ?? []
      if (collection === 'videos' && sub === undefined) return answer(200, { videoId: id, likeCount: 0, viewCount: 0, uniqueViewers: 0, stale: false, asOfMs: 0 })
      if (collection === 'users' && sub === 'likes' && subId !== undefined) {
        const liked = east?.likedPairs.has(pairOf(videoOf.get(subId) as number, userOf.get(id as string) as number)) ?? false
        return answer(200, { userId: id, videoId: subId, liked, stale: false, asOfMs: 0 })
      }
      return answer(404, { code: 'NOT_FOUND', message: 'no liked lists here' })
    },
  }
}

function options(client: FinalPhaseOptions['client'], history: FinalPhaseOptions['history'], seed = 7): FinalPhaseOptions {
  return { client, population, history, regions: REGIONS, likedLists: false, sampleRandom: new Rng(seed).stream('final-pair-sample'), inboxes: false, concurrency: 8, inboxMax: 100, ratePerRegionPerS: 100_000, onePerRegion: false, nowMs: () => 1, shouldStop: () => false }
}

describe('final reads through /v1 of a target without liked lists', () => {
  it('read each pair that may hold a like back, and the region holds exactly those it says are liked', async () => {
    const history = copyHistory(outcome.history)
    const target = scriptedTarget(new Set())
    const done = await runHttpFinalPhase(options(target, history))
    expect(done).toEqual({ likeStates: 'read-backs', silentRegions: [] })
    const readBacks = target.paths.filter((path) => /^us-east \/v1\/users\/[^/]+\/likes\/[^/?]+$/.test(path))
    // Each pair once, and only those a like may have made.
    expect(mayHold.size).toBeGreaterThan(10)
    expect(new Set(readBacks).size).toBe(mayHold.size)
    expect(readBacks.length).toBe(mayHold.size)
    expect(target.paths.some((path) => path.includes('/likes?'))).toBe(false)
    for (const final of history.final?.regions ?? []) {
      expect(final.listFailures).toBe(0)
      expect(sorted(final.likedPairs)).toEqual(sorted(simFinal.regions[0]?.likedPairs ?? []))
    }
  })

  it('give up on a region that answers nothing, after a few reads; read the others in full', async () => {
    const history = copyHistory(outcome.history)
    const target = scriptedTarget(new Set(['eu-west']))
    const done = await runHttpFinalPhase(options(target, history))
    expect(done.silentRegions).toEqual(['eu-west'])
    const tried = (region: string): number => target.paths.filter((path) => path.startsWith(`${region} `)).length
    expect(tried('eu-west')).toBeLessThanOrEqual(SILENT_READS_MAX + 8)
    expect(tried('us-east')).toBe(population.videoCount + mayHold.size)
    const eu = history.final?.regions.find((final) => final.region === 'eu-west')
    expect(eu?.readOk.every((ok) => ok === 0)).toBe(true)
  })

  it('past the bound, read back a seeded sample of exactly the bound in every region, and record it', async () => {
    const sampled = async (seed: number): Promise<{ paths: string[]; regions: readonly RegionFinal[]; sample: unknown }> => {
      const history = copyHistory(outcome.history)
      const target = scriptedTarget(new Set())
      const done = await runHttpFinalPhase({ ...options(target, history, seed), pairReadsMax: 20 })
      return { paths: target.paths.filter((path) => /\/v1\/users\/[^/]+\/likes\/[^/?]+$/.test(path)).sort(), regions: history.final?.regions ?? [], sample: done.sample }
    }
    const first = await sampled(7)
    expect(first.sample).toEqual({ read: 20, of: mayHold.size })
    expect(first.paths).toHaveLength(20 * REGIONS.length)
    const pairs = first.regions[0]?.likeSample?.pairs as ReadonlySet<number>
    expect(pairs.size).toBe(20)
    for (const pair of pairs) expect(mayHold.has(pair)).toBe(true)
    for (const final of first.regions) {
      expect(final.likeSample).toEqual({ pairs, of: mayHold.size })
      expect(sorted(final.likedPairs)).toEqual(sorted([...(simFinal.regions[0]?.likedPairs ?? [])].filter((pair) => pairs.has(pair))))
    }
    expect((await sampled(7)).paths).toEqual(first.paths)
    expect((await sampled(8)).paths).not.toEqual(first.paths)
  })
})

describe('final reads from a server on the scenario clock', () => {
  /** The target, answering each read 2 ms later; the most reads any one region had in flight at once. */
  function slowTarget(): { client: FinalPhaseOptions['client']; mostInFlight: () => number } {
    const target = scriptedTarget(new Set())
    const inFlight = new Map<string, number>()
    let most = 0
    const client: FinalPhaseOptions['client'] = {
      send: async (request) => {
        const now = (inFlight.get(request.region) ?? 0) + 1
        inFlight.set(request.region, now)
        most = Math.max(most, now)
        await new Promise((resolve) => setTimeout(resolve, 2))
        inFlight.set(request.region, now - 1)
        return target.send(request)
      },
    }
    return { client, mostInFlight: () => most }
  }

  it('keep one read per region in flight, so a stalled thread cannot release them together', async () => {
    const one = slowTarget()
    await runHttpFinalPhase({ ...options(one.client, copyHistory(outcome.history)), onePerRegion: true })
    expect(one.mostInFlight()).toBe(1)
    // Only paced, a target on its own clock has as many in flight as the final phase runs at once.
    const paced = slowTarget()
    await runHttpFinalPhase(options(paced.client, copyHistory(outcome.history)))
    expect(paced.mostInFlight()).toBeGreaterThan(1)
  })
})
