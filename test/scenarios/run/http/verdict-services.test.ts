// Services that answer but do nothing useful fail, end to end over loopback: one answers 404 to
// everything (every data invariant would pass "0 of 0": exercised fails it), one behaves but
// reads a user's like back as "not liked, fresh, as of 0" (no-flip judges the read at the time it
// claims, when nothing stood: bounded-staleness fails it). Each service is plain node:http, one
// listener per region, with no admin API (its clock is calibrated from its fresh answers' asOfMs).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import type { RunResult } from '../../../../result/result.ts'
import { runScenarioHttp } from '../../../../scenarios/run/http/http-runner.ts'
import { prepareRun } from '../../../../scenarios/run/run-setup.ts'
import type { Scenario } from '../../../../scenarios/scenario.ts'
import { scenario } from '../../../helpers/runs.ts'

const SMALL = { seed: 7, scale: 0.05, timeScale: 0.1 } as const
/** Baseline, shortened: 4 s of wall time at this time scale. */
const SHORT: Scenario = {
  ...scenario('baseline'),
  name: 'baseline-short',
  durationS: 40,
  load: { scenarios: { sessions: { executor: 'constant-arrival-rate', rate: 800, timeUnit: '1s', duration: '40s', preAllocatedVUs: 200, maxVUs: 2000 } } },
}

interface Service {
  /** region=url,… for --target */
  readonly target: string
  close(): Promise<void>
}

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void

async function listenPerRegion(regions: readonly string[], handler: Handler): Promise<Service> {
  const servers: Server[] = []
  for (const _region of regions) {
    const server = createServer((request, response) => {
      let body = ''
      request.setEncoding('utf8')
      request.on('data', (chunk: string) => (body += chunk))
      request.on('end', () => handler(request, response, body))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    servers.push(server)
  }
  return {
    target: regions.map((region, i) => `${region}=http://127.0.0.1:${(servers[i]?.address() as AddressInfo).port}`).join(','),
    close: async () => {
      for (const server of servers) {
        server.closeAllConnections()
        await new Promise((resolve) => server.close(resolve))
      }
    },
  }
}

function json(response: ServerResponse, status: number, value: unknown): string {
  const text = JSON.stringify(value)
  response.writeHead(status, { 'content-type': 'application/json' })
  response.end(text)
  return text
}

/** 404 to every request, with no body the driver would take for the mock server's codes. */
function notFoundEverywhere(regions: readonly string[]): Promise<Service> {
  return listenPerRegion(regions, (_request, response) => {
    response.writeHead(404, { 'content-type': 'text/plain' })
    response.end('Not Found')
  })
}

/**
 * One in-memory state behind every region: likes as a set, views, notifications newest first
 * (at most 100 per creator), writes replayed by Idempotency-Key, times from its own wall clock.
 * Its one fault: a read-back of a like says "not liked, fresh, as of 0".
 */
function readBackLiar(regions: readonly string[], creatorOf: ReadonlyMap<string, string>): Promise<Service> {
  const likers = new Map<string, Set<string>>()
  const liked = new Map<string, Set<string>>()
  const views = new Map<string, { total: number; viewers: Set<string> }>()
  const inboxes = new Map<string, Array<{ videoId: string; fromUserId: string; likedAtMs: number; deliveredAtMs: number }>>()
  const replies = new Map<string, string>()
  const setIn = (map: Map<string, Set<string>>, key: string): Set<string> => {
    let set = map.get(key)
    if (set === undefined) map.set(key, (set = new Set()))
    return set
  }
  return listenPerRegion(regions, (request, response, body) => {
    const key = request.headers['idempotency-key'] as string | undefined
    const replay = key === undefined ? undefined : replies.get(key)
    if (replay !== undefined) {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(replay)
      return
    }
    const remember = (text: string): void => {
      if (key !== undefined) replies.set(key, text)
    }
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const [, v1, collection, id, sub, subId] = url.pathname.split('/').map(decodeURIComponent)
    const nowMs = Date.now()
    if (v1 !== 'v1' || id === undefined) return void json(response, 404, { code: 'NOT_FOUND' })
    if (collection === 'videos' && sub === undefined && request.method === 'GET') {
      const seen = views.get(id)
      return void json(response, 200, { videoId: id, likeCount: likers.get(id)?.size ?? 0, viewCount: seen?.total ?? 0, uniqueViewers: seen?.viewers.size ?? 0, stale: false, asOfMs: nowMs })
    }
    if (collection === 'videos' && sub === 'views' && request.method === 'POST') {
      const { userId } = JSON.parse(body) as { userId: string }
      let seen = views.get(id)
      if (seen === undefined) views.set(id, (seen = { total: 0, viewers: new Set() }))
      seen.total++
      seen.viewers.add(userId)
      return void remember(json(response, 200, { videoId: id, viewCount: seen.total, uniqueViewers: seen.viewers.size }))
    }
    if (collection === 'videos' && sub === 'likes' && request.method === 'POST') {
      const { userId } = JSON.parse(body) as { userId: string }
      const set = setIn(likers, id)
      if (!set.has(userId)) {
        set.add(userId)
        setIn(liked, userId).add(id)
        const creator = creatorOf.get(id)
        if (creator !== undefined) inboxes.set(creator, [{ videoId: id, fromUserId: userId, likedAtMs: nowMs, deliveredAtMs: nowMs }, ...(inboxes.get(creator) ?? [])].slice(0, 100))
      }
      return void remember(json(response, 200, { videoId: id, userId, liked: true, likeCount: set.size, stale: false, asOfMs: nowMs }))
    }
    if (collection === 'videos' && sub === 'likes' && subId !== undefined && request.method === 'DELETE') {
      const set = setIn(likers, id)
      set.delete(subId)
      liked.get(subId)?.delete(id)
      return void remember(json(response, 200, { videoId: id, userId: subId, liked: false, likeCount: set.size, stale: false, asOfMs: nowMs }))
    }
    if (collection === 'users' && sub === 'likes' && subId !== undefined) return void json(response, 200, { userId: id, videoId: subId, liked: false, stale: false, asOfMs: 0 })
    if (collection === 'users' && sub === 'likes') return void json(response, 200, { userId: id, videoIds: [...(liked.get(id) ?? [])].sort(), nextCursor: null, asOfMs: nowMs })
    if (collection === 'users' && sub === 'notifications') return void json(response, 200, { userId: id, notifications: inboxes.get(id) ?? [] })
    json(response, 404, { code: 'NOT_FOUND' })
  })
}

const check = (checks: ReadonlyArray<{ name: string; status: string; observed: string }>, name: string) => checks.find((c) => c.name === name)

describe('services that answer but do nothing useful', () => {
  const setup = prepareRun({ scenario: SHORT, seed: SMALL.seed, scale: SMALL.scale })
  const regions = setup.population.regionIds
  // Both runs at once (a small world each; the checks judged are data invariants, not timing): the
  // suite's wall-clock project is serial, and each run spends most of its time waiting.
  let runs: Promise<{ notFound: RunResult; liar: RunResult }> | undefined
  const results = (): Promise<{ notFound: RunResult; liar: RunResult }> => {
    runs ??= (async () => {
      const { population } = setup
      const creatorOf = new Map([...population.videoIds].map((videoId, video) => [videoId, population.userIds.get(population.videoCreator[video] as number) as string]))
      const [notFound, liar] = await Promise.all([notFoundEverywhere(regions), readBackLiar(regions, creatorOf)])
      try {
        const [a, b] = await Promise.all([runScenarioHttp({ scenario: SHORT, ...SMALL, target: notFound.target }), runScenarioHttp({ scenario: SHORT, ...SMALL, target: liar.target })])
        return { notFound: a.result, liar: b.result }
      } finally {
        await Promise.all([notFound.close(), liar.close()])
      }
    })()
    return runs
  }

  it('a service that answers 404 to everything fails exercised; the data invariants had nothing to judge', async () => {
    const result = (await results()).notFound
    expect(result.verdict).toBe('fail')
    expect(check(result.checks, 'exercised')?.status).toBe('fail')
    expect(check(result.checks, 'exercised')?.observed).toMatch(/^0 of [\d,]+ operations acknowledged \(all ended LS_CLIENT_STATUS_404\): nothing was exercised, the other checks are vacuous/)
    for (const name of ['no-lost-likes', 'no-double-count', 'counter-bounds', 'never-zero', 'no-flip', 'last-intent', 'notifications']) expect(check(result.checks, name)?.status, name).toBe('not-applicable')
  }, 120_000)

  it('a service whose read-backs say "not liked, fresh, as of 0" fails bounded-staleness, and nothing else', async () => {
    const result = (await results()).liar
    expect(check(result.checks, 'exercised')?.status).toBe('pass')
    const staleness = check(result.checks, 'bounded-staleness')
    expect(staleness?.status).toBe('fail')
    // Its fresh video reads told the time honestly: the claims of 0 are placed on our clock, and are far too old.
    expect(staleness?.observed).toMatch(/^\d+ of \d+ answers claimed an age they may not have \(\d+ marked fresh but older than allowed.*asOfMs known to within ±/)
    // Its video reads' asOfMs bound the offset from below, their Date headers pin it (one clock: Date.now()).
    expect(result.config.http?.capabilities?.clock.by).toBe('date')
    expect(result.config.http?.capabilities?.clock.uncertaintyWallMs).toBeLessThan(10)
    expect(result.checks.filter((c) => c.kind === 'invariant' && c.status === 'fail').map((c) => c.name)).toEqual(['bounded-staleness'])
  }, 120_000)
})
