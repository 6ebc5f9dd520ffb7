// 10,000 random and malformed requests from a seeded PRNG (reproducible: the seed is printed on
// failure): bad JSON, wrong types, huge numbers, unicode and oversize ids, missing and wrong
// headers, wrong tokens, unknown methods and paths. None may get a 5xx, every error must be
// `{ code, message }` with a catalogue code, no write may succeed, and afterwards the counts are
// exactly what they were and the server still answers.
import seedrandom from 'seedrandom'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EngagementServer } from '../../../mock-server/http/app.ts'
import { ManualClock } from '../../../mock-server/http/clock.ts'
import { ERROR_CODES } from '../../../mock-server/http/errors.ts'
import { like, makeServer, REGION_IDS, send, TOKEN, USERS, VIDEOS } from './support.ts'

const SEED = 'likestorm-http-fuzz-1'
const REQUESTS = 10_000
const BATCH = 50

type Rng = () => number

interface FuzzRequest {
  readonly method: string
  readonly url: string
  readonly headers: Record<string, string>
  readonly payload?: string
  readonly region: string
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T
const chance = (rng: Rng, p: number): boolean => rng() < p

function randomString(rng: Rng, { length, alphabet }: { length: number; alphabet: string }): string {
  const chars = Array.from(alphabet)
  let out = ''
  for (let i = 0; i < length; i++) out += pick(rng, chars)
  return out
}

const UNICODE = 'éüß漢字😀🔥ʕ•ᴥ•ʔ\u200b\u0301Ω≈ç√∫'
const ASCII_JUNK = '!"#$&\'()*+,;<=>?@[\\]^`{|}~ '

/** An id that the schema refuses (unicode, punctuation, empty-ish, oversize) or the core does not know. */
function badId(rng: Rng): string {
  switch (Math.floor(rng() * 8)) {
    case 0:
      return encodeURIComponent(randomString(rng, { length: 1 + Math.floor(rng() * 12), alphabet: UNICODE }))
    case 1:
      return encodeURIComponent(randomString(rng, { length: 1 + Math.floor(rng() * 8), alphabet: ASCII_JUNK }))
    case 2:
      return 'x'.repeat(129 + Math.floor(rng() * 3000))
    case 3:
      return pick(rng, ['%', '%zz', '%00', '%2F', '..', '%2e%2e', '%C0%AF', 'a%20b', '%FF%FE'])
    case 4:
      return `zz_${randomString(rng, { length: 8, alphabet: 'abcdefghijklmnopqrstuvwxyz0123456789' })}`
    case 5:
      return `${pick(rng, VIDEOS)}%0A`
    case 6:
      return encodeURIComponent(pick(rng, USERS) + pick(rng, ['é', ' ', '/', '?', '#']))
    default:
      return 'x'.repeat(5000 + Math.floor(rng() * 3000))
  }
}

function goodOrBadId(rng: Rng, known: readonly string[]): { id: string; known: boolean } {
  return chance(rng, 0.5) ? { id: pick(rng, known), known: true } : { id: badId(rng), known: false }
}

function hugeNumber(rng: Rng): string {
  return pick(rng, ['1e309', '-1e309', '1e300', '9007199254740993', '-0.5', '0.0000001', '123456789012345678901234567890', '-1', '86400001', '1.5', 'NaN', 'Infinity'])
}

/** A JSON body that is broken or of the wrong shape for a `{ userId[, watchMs] }` route. */
function badBody(rng: Rng, { withWatchMs }: { withWatchMs: boolean }): string {
  const userId = pick(rng, USERS)
  switch (Math.floor(rng() * 14)) {
    case 0:
      return '{"userId": "u01"'
    case 1:
      return randomString(rng, { length: 1 + Math.floor(rng() * 40), alphabet: '{}[]":,0123456789abcnul\\ ' })
    case 2:
      return JSON.stringify({ userId: pick(rng, [17, true, null, [], {}, 1e308, '']) })
    case 3:
      return JSON.stringify({ userId, extra: randomString(rng, { length: 5, alphabet: 'abc' }) })
    case 4:
      return `{"userId": "${userId}", "watchMs": ${hugeNumber(rng)}}`
    case 5:
      return JSON.stringify({ userId, watchMs: pick(rng, ['100', null, [], {}, true, -5, 3.25, 86_400_001]) })
    case 6:
      return '{"__proto__": {"admin": true}, "userId": "u01"}'
    case 7:
      return `${'['.repeat(500)}${']'.repeat(500)}`
    case 8:
      return JSON.stringify({ userId: badId(rng), ...(withWatchMs ? { watchMs: 10 } : {}) })
    case 9:
      return JSON.stringify({ userId: 'u'.repeat(20_000) })
    case 10:
      return ''
    case 11:
      return JSON.stringify([userId])
    case 12:
      return `"${userId}"`
    default:
      return JSON.stringify(withWatchMs ? { userId } : { userId, watchMs: 'x' })
  }
}

function randomHeaders(rng: Rng): Record<string, string> {
  const headers: Record<string, string> = {}
  if (chance(rng, 0.7)) headers['content-type'] = pick(rng, ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', '*/*', 'application/json; charset=latin9'])
  if (chance(rng, 0.3)) headers['idempotency-key'] = pick(rng, ['', ' ', 'two words', 'k'.repeat(300), `fuzz-${Math.floor(rng() * 1e6)}`, 'é'])
  if (chance(rng, 0.2)) headers['x-likestorm-region'] = pick(rng, ['mars', '', 'us-east ', 'r'.repeat(80), 'US-EAST', '../eu-west'])
  if (chance(rng, 0.1)) headers[`x-${randomString(rng, { length: 6, alphabet: 'abcdef' })}`] = randomString(rng, { length: 10, alphabet: 'abc 123' })
  return headers
}

function wrongAuthorization(rng: Rng): Record<string, string> {
  const header = pick(rng, [undefined, '', 'Bearer', 'Bearer ', `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, `Basic ${TOKEN}`, `Bearer  ${TOKEN} extra`, `${TOKEN}`, 'Bearer é', `Bearer ${'t'.repeat(4000)}`])
  return header === undefined ? {} : { authorization: header }
}

/** One request that the server must refuse (4xx), or a harmless read. */
function fuzzRequest(rng: Rng): FuzzRequest {
  const region = pick(rng, REGION_IDS)
  const headers = randomHeaders(rng)
  const kind = Math.floor(rng() * 12)
  switch (kind) {
    case 0:
    case 1: {
      const video = goodOrBadId(rng, VIDEOS)
      return { method: 'POST', url: `/v1/videos/${video.id}/likes`, headers, payload: badBody(rng, { withWatchMs: false }), region }
    }
    case 2: {
      const video = goodOrBadId(rng, VIDEOS)
      const user = video.known ? { id: badId(rng) } : goodOrBadId(rng, USERS)
      // A malformed header makes even known ids a refusal; otherwise one of the ids is bad.
      return { method: 'DELETE', url: `/v1/videos/${video.id}/likes/${user.id}`, headers, region }
    }
    case 3:
    case 4: {
      const video = goodOrBadId(rng, VIDEOS)
      return { method: 'POST', url: `/v1/videos/${video.id}/views`, headers, payload: badBody(rng, { withWatchMs: true }), region }
    }
    case 5: {
      const video = goodOrBadId(rng, VIDEOS)
      return { method: pick(rng, ['GET', 'HEAD']), url: `/v1/videos/${video.id}`, headers, region }
    }
    case 6: {
      const user = goodOrBadId(rng, USERS)
      const query = pick(rng, ['', '?limit=-1', '?limit=1e9', '?limit=abc', '?limit=1&limit=2', `?cursor=${badId(rng)}`, '?since=0', '?limit=', '?cursor=v01&limit=3'])
      return { method: 'GET', url: `/v1/users/${user.id}/likes${query}`, headers, region }
    }
    case 7: {
      const user = goodOrBadId(rng, USERS)
      return { method: 'GET', url: `/v1/users/${user.id}/${pick(rng, ['notifications', 'notifications?limit=0', 'notifications?limit=101', `likes/${badId(rng)}`])}`, headers, region }
    }
    case 8: {
      // Admin routes with a missing or wrong token, whatever the body.
      const path = pick(rng, ['/admin/v1/state', '/admin/v1/faults', '/admin/v1/purges/bot', '/admin/v1/purges/inactive', '/admin/v1/takedowns', '/admin/v1/reset', '/admin/v1/takedowns/v01', '/admin/v1/directory'])
      const method = pick(rng, ['GET', 'POST', 'DELETE'])
      const body = JSON.stringify(pick(rng, [{ kind: 'region-outage', action: 'start', region: 'us-east' }, { idleDays: 0 }, { seed: 1 }, { videoIds: ['v01'] }]))
      return { method, url: path, headers: { ...headers, ...wrongAuthorization(rng), 'content-type': 'application/json' }, payload: method === 'GET' ? undefined as never : body, region }
    }
    case 9: {
      // Admin routes with the right token and a body that is wrong.
      const body = pick(rng, [
        JSON.stringify({ kind: randomString(rng, { length: 6, alphabet: 'xyz' }), action: 'start' }),
        JSON.stringify({ kind: 'region-outage', action: 'pause', region: 'us-east' }),
        JSON.stringify({ kind: 'overload', action: 'start', region: 'us-east', factor: pick(rng, [0, 1, -3, 1e9, '2']) }),
        JSON.stringify({ kind: 'slow-cache', action: 'start', region: 'us-east', latencyMs: pick(rng, [0, -1, 1e12, 'slow']) }),
        JSON.stringify({ kind: 'partition', action: 'start', a: 'us-east', b: pick(rng, ['us-east', 'mars', 5]) }),
        JSON.stringify({ kind: 'takedown', action: 'start', videoIds: pick(rng, [[], ['v99'], [badId(rng)], 'v01']) }),
        JSON.stringify({ idleDays: pick(rng, [-1, 1e9, '30', null]) }),
        JSON.stringify({ seed: pick(rng, [-1, 1.5, '7', null]), scenario: 'small' }),
        '{"kind": "overload"',
      ])
      const path = pick(rng, ['/admin/v1/faults', '/admin/v1/faults', '/admin/v1/purges/inactive', '/admin/v1/reset', '/admin/v1/takedowns'])
      return { method: 'POST', url: path, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, payload: body, region }
    }
    case 10: {
      // Unknown routes and methods.
      const path = pick(rng, ['/', '/v1', '/v1/videos', '/v1/videos/v01/likes/u01/extra', '/v2/videos/v01', '/admin', '/admin/v2/state', `/${badId(rng)}`, '/metrics/../admin/v1/state', '//v1//videos//v01'])
      return { method: pick(rng, ['GET', 'POST', 'PUT', 'PATCH', 'OPTIONS', 'DELETE']), url: path, headers, region }
    }
    default: {
      // Oversize bodies.
      return { method: 'POST', url: `/v1/videos/${pick(rng, VIDEOS)}/likes`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ userId: pick(rng, USERS), pad: 'p'.repeat(16_384 + Math.floor(rng() * 50_000)) }), region }
    }
  }
}

let server: EngagementServer

beforeAll(async () => {
  server = await makeServer({ clock: new ManualClock(1000) })
  // Some likes and views to protect.
  for (const [i, videoId] of VIDEOS.entries()) {
    for (const userId of USERS.slice(0, i + 2)) await like(server, videoId, userId)
    await send(server, { method: 'POST', url: `/v1/videos/${videoId}/views`, payload: { userId: 'u01', watchMs: 1000 } })
  }
})

afterAll(async () => {
  await server.close({ drainMsMax: 0 })
})

function snapshot(): { digests: string[]; totals: Array<[number, number]>; faults: number; purged: number } {
  const state = server.world.core.state(server.world.clock.nowMs())
  return {
    digests: server.world.core.regionDigests(server.world.clock.nowMs()),
    totals: state.regions.map((region) => [region.likeTotal, region.viewTotal]),
    faults: state.faults.length,
    purged: state.counters.purgedAccounts,
  }
}

describe(`fuzz (seed ${SEED})`, () => {
  it(`${REQUESTS.toLocaleString('en-US')} random and malformed requests: no 5xx, only catalogue errors, no write accepted, counts unchanged`, async () => {
    const rng = seedrandom(SEED)
    const before = snapshot()
    const statuses = new Map<number, number>()
    const problems: string[] = []
    for (let done = 0; done < REQUESTS; done += BATCH) {
      const batch = Array.from({ length: BATCH }, () => fuzzRequest(rng))
      const responses = await Promise.all(
        batch.map((request) =>
          server.app(request.region).inject({
            method: request.method as 'GET',
            url: request.url,
            headers: request.headers,
            ...(request.payload === undefined ? {} : { payload: request.payload }),
          }),
        ),
      )
      responses.forEach((response, i) => {
        const request = batch[i] as FuzzRequest
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1)
        const what = `${request.method} ${request.url.slice(0, 80)} -> ${response.statusCode} ${response.body.slice(0, 120)}`
        if (response.statusCode >= 500) problems.push(`5xx: ${what}`)
        const isWrite = request.method !== 'GET' && request.method !== 'HEAD'
        if (isWrite && response.statusCode < 300) problems.push(`accepted write: ${what}`)
        if (response.statusCode >= 400 && request.method !== 'HEAD') {
          let body: unknown
          try {
            body = JSON.parse(response.body)
          } catch {
            body = undefined
          }
          const record = body as Record<string, unknown> | undefined
          const keys = record === undefined ? [] : Object.keys(record).sort()
          if (keys.join() !== 'code,message' || !ERROR_CODES.includes(record?.['code'] as never)) problems.push(`not a catalogue error: ${what}`)
        }
      })
    }
    expect(problems.slice(0, 10), `replay with seed ${SEED}`).toEqual([])
    expect(snapshot()).toEqual(before)
    // The fuzz reached the server's checks, not only the router.
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([400, 401, 403, 404, 413, 415]))
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0)
  })

  it('the server still answers afterwards', async () => {
    expect((await send(server, { url: '/healthz' })).status).toBe(200)
    expect((await like(server, 'v08', 'u19')).status).toBe(200)
    expect((await send(server, { url: '/metrics' })).status).toBe(200)
    for (const region of REGION_IDS) expect(server.limiter(region).inFlight).toBe(0)
  })
})
