// The embedded mock server on its own thread: it serves every region of the run's world over
// loopback, on the driver's scenario clock (its nowMs lies between the driver's readings around
// the call), with the strategy it was handed, planted defects included. A thread that fails, at
// its start or while serving, is an error of the run with a code and the cause, never a hang.
import { afterEach, describe, expect, it } from 'vitest'
import { ROBUST } from '../../../../mock-server/core/strategy.ts'
import { systemByName } from '../../../helpers/planted-defects.ts'
import { EMBEDDED_SERVER_FAILED, EmbeddedServerError, startEmbeddedServer, type EmbeddedServer } from '../../../../scenarios/run/http/embedded-server.ts'
import { runHttpDriver } from '../../../../scenarios/run/http/http-driver.ts'
import { ScenarioClock } from '../../../../scenarios/run/http/scenario-clock.ts'
import { prepareRun } from '../../../../scenarios/run/run-setup.ts'
import { scenario } from '../../../helpers/runs.ts'

const setup = prepareRun({ scenario: scenario('baseline'), seed: 7, scale: 0.05 })
const CRASHING_ENTRY = new URL('./fixtures/crashing-server-entry.mjs', import.meta.url)

let server: EmbeddedServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function get(url: string, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

describe('the embedded mock server on its own thread', () => {
  it('serves every region of the world, on the driver\'s scenario clock', async () => {
    const clock = new ScenarioClock(0.1)
    server = await startEmbeddedServer({ setup, strategy: ROBUST, clock, inFlightMax: 1024 })
    expect(Object.keys(server.urls).sort()).toEqual([...setup.population.regionIds].sort())
    for (const url of Object.values(server.urls)) expect((await get(`${url}/healthz`)).status).toBe(200)
    clock.restart()
    const stateUrl = `${Object.values(server.urls)[0]}/admin/v1/state`
    for (let call = 0; call < 5; call++) {
      const before = clock.nowMs()
      const { status, body } = await get(stateUrl, server.adminToken)
      const after = clock.nowMs()
      expect(status).toBe(200)
      // The server read its clock while the call was under way: no offset between the threads.
      expect(body.nowMs as number).toBeGreaterThanOrEqual(before)
      expect(body.nowMs as number).toBeLessThanOrEqual(after)
    }
    const { body } = await get(stateUrl, server.adminToken)
    expect(body.world).toMatchObject({ scenario: 'baseline', seed: 7, scale: 0.05, strategy: 'robust', users: setup.population.userCount })
    expect(server.failure).toBeUndefined()
  })

  it('runs the strategy it was handed, planted defects included', async () => {
    const strategy = systemByName('broken-counter-bounds')
    server = await startEmbeddedServer({ setup, strategy, clock: new ScenarioClock(0.1), inFlightMax: 1024 })
    const url = Object.values(server.urls)[0] as string
    expect((await get(`${url}/admin/v1/state`, server.adminToken)).body.strategy).toBe('broken-counter-bounds')
    // No one has liked it, yet every 30th read reports one like: the defect crossed with the strategy.
    const video = setup.population.videoIds.get(0) as string
    const counts: number[] = []
    for (let read = 0; read < 30; read++) counts.push((await get(`${url}/v1/videos/${video}`)).body.likeCount as number)
    expect(counts.filter((count) => count === 1)).toHaveLength(1)
    expect(counts.filter((count) => count === 0)).toHaveLength(29)
  })

  it('fails to start with the cause and its code, and leaves no thread behind', async () => {
    const start = startEmbeddedServer({ setup, strategy: ROBUST, clock: new ScenarioClock(0.1), inFlightMax: 0 })
    await expect(start).rejects.toBeInstanceOf(EmbeddedServerError)
    await expect(start).rejects.toMatchObject({ code: EMBEDDED_SERVER_FAILED, message: expect.stringMatching(/^the embedded mock server did not start: bad limits: .*inFlightMax.* \[LS_HTTP_BAD_CONFIG\]$/) })
  })

  it('says so at once when its thread fails while serving, with the cause', async () => {
    server = await startEmbeddedServer({ setup, strategy: ROBUST, clock: new ScenarioClock(0.1), inFlightMax: 1024, entry: CRASHING_ENTRY })
    const failure = await new Promise<EmbeddedServerError>((resolve) => server?.onFailure(resolve))
    expect(failure).toMatchObject({ code: EMBEDDED_SERVER_FAILED, message: "the embedded mock server's thread failed: planted crash of the server thread [LS_TEST_PLANTED]" })
    expect(server.failure).toBe(failure)
    // Closing a server whose thread is gone returns at once.
    await server.close()
  })
})

describe('a run whose embedded server fails', () => {
  it('stops at once and rejects with the server\'s failure, instead of judging a run without a target', async () => {
    const soak = prepareRun({ scenario: scenario('soak'), seed: 7, scale: 0.05 })
    const started = performance.now()
    const run = runHttpDriver({
      setup: soak,
      strategy: ROBUST,
      timeScale: 0.1,
      durationMax: { ms: 120_000, detail: 'bound' },
      maxOperations: 1_000_000,
      connections: 64,
      serverEntry: CRASHING_ENTRY,
    })
    await expect(run).rejects.toMatchObject({ code: EMBEDDED_SERVER_FAILED, message: expect.stringContaining('planted crash of the server thread') })
    // soak takes 60 s of wall time at this time scale; the crash comes 1.5 s after the server listens.
    expect(performance.now() - started).toBeLessThan(20_000)
  }, 60_000)
})
