// The network-loss fault on the mock server: the admin route switches it (token-protected, its
// share checked), and the region's listener then resets that share of its connections instead of
// answering — some before the core saw the request, some after it applied it. Over a real loopback
// socket (inject() has no connection to reset), a few hundred requests one at a time: counts only,
// no timing.
import { Agent, request } from 'undici'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EngagementServer } from '../../../mock-server/http/app.ts'
import { admin, EU, makeServer, send, US, USERS, VIDEOS } from './support.ts'

let server: EngagementServer
let agent: Agent

beforeEach(async () => {
  server = await makeServer()
  agent = new Agent()
})

afterEach(async () => {
  await agent.close()
  await server.close({ drainMsMax: 0 })
})

function fault(body: Record<string, unknown>) {
  return admin(server, 'POST', '/admin/v1/faults', body)
}

/** One request over the socket: its status, or 'reset' when the connection broke without an answer. */
async function over(url: string, init: { method?: 'GET' | 'POST'; body?: unknown; key?: string } = {}): Promise<number | 'reset'> {
  try {
    const response = await request(url, {
      method: init.method ?? 'GET',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', ...(init.key === undefined ? {} : { 'idempotency-key': init.key }) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    })
    await response.body.dump()
    return response.statusCode
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET') return 'reset'
    throw error
  }
}

function likeTotal(region: string): number {
  const state = server.world.core.state(server.world.clock.nowMs())
  return state.regions.find((r) => r.region === region)?.likeTotal ?? -1
}

describe('the admin route', () => {
  it('starts and stops a network-loss, lists it among the faults, and refuses a bad share or a missing token', async () => {
    expect((await send(server, { method: 'POST', url: '/admin/v1/faults', payload: { kind: 'network-loss', action: 'start', region: US, share: 0.5 } })).status).toBe(401)
    for (const share of [0, 1.5, '0.5', undefined]) {
      const refused = await fault({ kind: 'network-loss', action: 'start', region: US, ...(share === undefined ? {} : { share }) })
      expect(refused.status, `share ${String(share)}`).toBe(400)
      expect(refused.body['code']).toBe('LS_HTTP_BAD_FAULT')
    }
    expect((await fault({ kind: 'network-loss', action: 'start', region: 'mars', share: 0.5 })).body['code']).toBe('LS_CORE_UNKNOWN_REGION')
    expect(server.loss.shareOf(US)).toBe(0)

    const started = await fault({ kind: 'network-loss', action: 'start', region: US, share: 0.25 })
    expect(started.status).toBe(200)
    expect(started.body['faults']).toEqual([{ kind: 'network-loss', region: US, share: 0.25 }])
    expect((await admin(server, 'GET', '/admin/v1/state')).body['faults']).toEqual([{ kind: 'network-loss', region: US, share: 0.25 }])
    const stopped = await fault({ kind: 'network-loss', action: 'stop', region: US })
    expect(stopped.body['faults']).toEqual([])
    expect(server.loss.shareOf(US)).toBe(0)
  })

  it('heals with a reset of the world', async () => {
    await fault({ kind: 'network-loss', action: 'start', region: US, share: 1 })
    expect((await admin(server, 'POST', '/admin/v1/reset', { seed: 2 })).status).toBe(200)
    expect(server.loss.active()).toEqual([])
  })
})

describe('a lossy region over a real socket', () => {
  it('resets its share of connections, before and after the core applied them, and only in that region', async () => {
    const addresses = await server.listen({ host: '127.0.0.1', port: 0 })
    const urlOf = (region: string): string => addresses.find((address) => address.region === region)?.url as string
    expect((await fault({ kind: 'network-loss', action: 'start', region: US, share: 0.3 })).status).toBe(200)

    // Every (user, video) pair liked once, each with its own key: whatever was applied shows in the count.
    const likes: Array<number | 'reset'> = []
    for (const userId of USERS) {
      for (const videoId of VIDEOS) likes.push(await over(`${urlOf(US)}/v1/videos/${videoId}/likes`, { method: 'POST', body: { userId }, key: `${userId}-${videoId}` }))
    }
    const reads: Array<number | 'reset'> = []
    for (let i = 0; i < 200; i++) reads.push(await over(`${urlOf(US)}/v1/videos/${VIDEOS[i % VIDEOS.length] as string}`))
    const elsewhere: Array<number | 'reset'> = []
    for (let i = 0; i < 40; i++) elsewhere.push(await over(`${urlOf(EU)}/v1/videos/${VIDEOS[i % VIDEOS.length] as string}`))

    const all = [...likes, ...reads]
    expect(all.every((outcome) => outcome === 200 || outcome === 'reset')).toBe(true)
    const lostShare = all.filter((outcome) => outcome === 'reset').length / all.length
    expect(lostShare).toBeGreaterThan(0.2)
    expect(lostShare).toBeLessThan(0.4)
    expect(elsewhere.every((outcome) => outcome === 200)).toBe(true)

    // Lost likes split between never applied and applied without an answer.
    const answered = likes.filter((outcome) => outcome === 200).length
    const lost = likes.length - answered
    const applied = likeTotal(US)
    expect(applied).toBeGreaterThan(answered)
    expect(applied).toBeLessThan(answered + lost)

    await fault({ kind: 'network-loss', action: 'stop', region: US })
    for (let i = 0; i < 40; i++) expect(await over(`${urlOf(US)}/v1/videos/${VIDEOS[i % VIDEOS.length] as string}`)).toBe(200)
  })
})
