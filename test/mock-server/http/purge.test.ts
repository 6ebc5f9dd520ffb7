// The purge routes run the core's purge jobs in slices between which the event loop serves other
// requests: a read to another region is answered while a large purge runs, the report is the one
// the all-at-once purge gives, and two purges never run at once.
import { afterEach, describe, expect, it } from 'vitest'
import { buildServer, type EngagementServer } from '../../../mock-server/http/app.ts'
import { ManualClock } from '../../../mock-server/http/clock.ts'
import { guardDetectorModule } from '../../../mock-server/core/detection/detector-guard.ts'
import { botFarmWorld } from '../../helpers/bot-farm-world.ts'
import { AUTH, TOKEN } from './support.ts'

const servers: EngagementServer[] = []

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close({ drainMsMax: 0 })))
})

const FARM = { bots: 600, likesPerBot: 20 }

/** A server over a farm of 600 bots with 20 likes each (12,000 likes to detect and remove). */
async function farmServer(): Promise<EngagementServer> {
  const { core, endMs } = botFarmWorld(FARM)
  const server = await buildServer({ core, adminToken: TOKEN, clock: new ManualClock(endMs) })
  servers.push(server)
  return server
}

describe('the bot purge report over HTTP', () => {
  it("says why a purge removed nobody when its detector failed (a --detector on the embedded server)", async () => {
    const throwing = { interfaceVersion: 1, name: 'throws', description: 'fails at every purge', purgeScoreMin: 1, create: () => ({ account() {}, like() {}, unlike() {}, view() {}, score() { throw new Error('no scores today') } }) }
    // Guarded, as a user's module is when loaded (loadDetectorFile).
    const { core, endMs } = botFarmWorld({ bots: 20, likesPerBot: 5, detector: guardDetectorModule(throwing as never) })
    const server = await buildServer({ core, adminToken: TOKEN, clock: new ManualClock(endMs) })
    servers.push(server)
    const response = await server.app('us-east').inject({ method: 'POST', url: '/admin/v1/purges/bot', headers: AUTH })
    expect(response.statusCode, response.body).toBe(200)
    const report = JSON.parse(response.body) as { accounts: unknown[]; detectorError?: string }
    expect(report.accounts).toEqual([])
    expect(report.detectorError).toMatch(/no scores today/)
  })
})

describe('purges in slices', () => {
  it('a read to another region is answered while a bot purge of 12,000 likes runs, and the report is the same as before', async () => {
    const server = await farmServer()
    // The report of the same purge run at once, on a twin world: what the route answered before.
    const twin = botFarmWorld(FARM)
    // With the detectors' scores of every account (result.json's curve and baselines are drawn from them).
    const expected = JSON.stringify(twin.core.runBotPurge(twin.endMs))
    const answered: string[] = []
    const purge = server
      .app('us-east')
      .inject({ method: 'POST', url: '/admin/v1/purges/bot', headers: AUTH })
      .then((response) => {
        answered.push('purge')
        return response
      })
    // Let the purge begin, then ask another region for a video's counts.
    await new Promise((resolve) => setImmediate(resolve))
    const read = server
      .app('eu-west')
      .inject({ method: 'GET', url: '/v1/videos/v1' })
      .then((response) => {
        answered.push('read')
        return response
      })
    const [purgeResponse, readResponse] = await Promise.all([purge, read])
    expect(answered).toEqual(['read', 'purge'])
    expect(readResponse.statusCode).toBe(200)
    expect(purgeResponse.statusCode).toBe(200)
    expect(purgeResponse.headers['content-type']).toMatch(/^application\/json/)
    expect(purgeResponse.body).toBe(expected)
    const report = JSON.parse(purgeResponse.body) as { accounts: unknown[]; removedLikes: unknown[]; scores: { scored: unknown[] } }
    expect([report.accounts.length, report.removedLikes.length]).toEqual([600, 12_000])
    expect(report.scores.scored.length).toBeGreaterThanOrEqual(600)
  })

  it('two purges at once run one after the other: the second finds nothing left to purge', async () => {
    const server = await farmServer()
    const [first, second] = await Promise.all([
      server.app('us-east').inject({ method: 'POST', url: '/admin/v1/purges/bot', headers: AUTH }),
      server.app('ap-southeast').inject({ method: 'POST', url: '/admin/v1/purges/bot', headers: AUTH }),
    ])
    expect(first.json()).toMatchObject({ kind: 'bot' })
    expect(first.json().accounts).toHaveLength(600)
    expect(second.json()).toMatchObject({ kind: 'bot', accounts: [], removedLikes: [] })
    const counters = server.world.core.state(server.world.clock.nowMs()).counters
    expect(counters).toMatchObject({ purgedAccounts: 600, purgedLikes: 12_000 })
  })

  it('an inactive purge answers the same way, with every account idle for more than idleDays', async () => {
    const server = await farmServer()
    const response = await server.app('eu-west').inject({ method: 'POST', url: '/admin/v1/purges/inactive', headers: AUTH, payload: { idleDays: 0 } })
    expect(response.statusCode).toBe(200)
    const report = response.json() as { kind: string; accounts: unknown[]; removedLikes: unknown[] }
    expect(report.kind).toBe('inactive')
    // 600 bots, 600 genuine accounts and the creator
    expect(report.accounts).toHaveLength(1201)
    expect(report.removedLikes).toHaveLength(13_800)
  })
})
