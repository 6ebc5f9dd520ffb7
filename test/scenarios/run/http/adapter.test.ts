// --adapter: a service whose API is not /v1 (examples/adapters/reactions-service.ts), driven
// through the user's adapter and judged by the same checks; an adapter that misbehaves is an
// error line naming the operation, never a crash.
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { afterAll, describe, expect, it } from 'vitest'
import { createReactionsService, ReactionStore, type Stats } from '../../../../examples/adapters/reactions-service.ts'
import { UsageError } from '../../../../scenarios/errors.ts'
import { applyOverrides } from '../../../../scenarios/overrides.ts'
import { AdapterClient, operationOf } from '../../../../scenarios/run/http/adapter-client.ts'
import { adapterProblems, loadAdapterFile } from '../../../../scenarios/run/http/adapter-file.ts'
import type { Adapter } from '../../../../scenarios/run/http/adapter.ts'
import type { Answer, SendRequest } from '../../../../scenarios/run/http/http-client.ts'
import { runScenarioHttp } from '../../../../scenarios/run/http/http-runner.ts'
import type { RunResult } from '../../../../result/result.ts'
import { scenario } from '../../../helpers/runs.ts'

const ROOT = new URL('../../../..', import.meta.url).pathname
const ADAPTER = 'examples/adapters/reactions-api.adapter.ts'

/** A planted defect (test code, not the example's): a like by a user who already likes the video counts again. */
class DoubleTapStore extends ReactionStore {
  private readonly extra = new Map<string, number>()
  override like(video: string, user: string): Stats {
    if (this.hasLiked(user, video)) this.extra.set(video, (this.extra.get(video) ?? 0) + 1)
    return super.like(video, user)
  }
  override stats(video: string): Stats {
    const stats = super.stats(video)
    return { ...stats, likes: stats.likes + (this.extra.get(video) ?? 0) }
  }
}

const servers: Server[] = []
afterAll(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

async function serve(store?: ReactionStore): Promise<string> {
  const server = createReactionsService(store)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const invariantFailures = (checks: ReadonlyArray<{ kind: string; status: string; name: string }>): string[] => checks.filter((c) => c.kind === 'invariant' && c.status === 'fail').map((c) => c.name)
// like-flap: taps, undos and second taps on few videos, 20 s of it, in 2 s of wall time.
const flap = applyOverrides(scenario('like-flap'), { durationS: 20 }).scenario
const RUN = { scenario: flap, seed: 7, scale: 0.1, timeScale: 0.1, adapter: ADAPTER } as const

describe('a service with its own API, through an adapter', () => {
  // The correct service and the defective one side by side: each run mostly waits for the target's quiet period.
  let runs: Promise<[RunResult, RunResult]> | undefined
  const bothRuns = (): Promise<[RunResult, RunResult]> =>
    (runs ??= Promise.all([serve(), serve(new DoubleTapStore())]).then(([correct, doubleTap]) =>
      Promise.all([runScenarioHttp({ ...RUN, target: correct }).then((run) => run.result), runScenarioHttp({ ...RUN, target: doubleTap }).then((run) => run.result)]),
    ))

  it('passes like-flap through the adapter, and the replay line names it', async () => {
    const [result] = await bothRuns()
    expect(invariantFailures(result.checks)).toEqual([])
    expect(result.metrics.likesAcknowledged).toBeGreaterThan(0)
    expect(result.checks.find((c) => c.name === 'no-double-count')?.status).toBe('pass')
    expect(result.config.http?.adapter).toBe(ADAPTER)
    expect(result.replay).toContain(`--adapter ./${ADAPTER}`)
    expect(result.config.http?.capabilities?.notes).toContain(`capabilities declared by --adapter ${ADAPTER}`)
    // One front door: the regions of the scenario all reach it, so convergence has nothing to compare.
    expect(result.checks.find((c) => c.name === 'convergence')?.status).toBe('not-applicable')
  }, 120_000)

  it('fails no-double-count against a variant that counts a second tap again', async () => {
    const [, result] = await bothRuns()
    expect(invariantFailures(result.checks)).toContain('no-double-count')
  }, 120_000)
})

describe('the adapter interface', () => {
  it('refuses a module of another interface version, or with missing functions, naming every problem', async () => {
    expect(adapterProblems({ interfaceVersion: 2, name: 'x' })).toEqual(['implements adapter interface version 2; this LikeStorm speaks version 1 (docs/targets.md)'])
    expect(adapterProblems({ interfaceVersion: 1, name: 'Bad Name' })).toHaveLength(3)
    await expect(loadAdapterFile('examples/adapters/reactions-service.ts', { cwd: ROOT })).rejects.toThrow(/^--adapter examples\/adapters\/reactions-service\.ts: exports no adapter/)
    await expect(loadAdapterFile('examples/adapters/reactions-service.ts', { cwd: ROOT })).rejects.toBeInstanceOf(UsageError)
  })

  it('reads each /v1 request back into its operation', () => {
    const h = { 'idempotency-key': 'k1' }
    expect(operationOf({ method: 'POST', path: '/v1/videos/v%201/likes', body: '{"userId":"u1"}', headers: h })).toEqual({ op: 'like', userId: 'u1', videoId: 'v 1', key: 'k1' })
    expect(operationOf({ method: 'DELETE', path: '/v1/videos/v1/likes/u1', body: undefined, headers: h })).toEqual({ op: 'unlike', userId: 'u1', videoId: 'v1', key: 'k1' })
    expect(operationOf({ method: 'POST', path: '/v1/videos/v1/views', body: '{"userId":"u1","watchMs":900}', headers: h })).toEqual({ op: 'view', userId: 'u1', videoId: 'v1', watchMs: 900, key: 'k1' })
    expect(operationOf({ method: 'GET', path: '/v1/users/u1/likes?limit=1000&cursor=c2', body: undefined, headers: {} })).toEqual({ op: 'liked-list', userId: 'u1', cursor: 'c2', limit: 1000 })
    expect(operationOf({ method: 'GET', path: '/v1/users/u1/notifications?limit=50', body: undefined, headers: {} })).toEqual({ op: 'notifications', userId: 'u1', limit: 50 })
    expect(operationOf({ method: 'GET', path: '/v1/elsewhere', body: undefined, headers: {} })).toBeUndefined()
  })

  it("turns an adapter's throw or garbage into an error answer naming the operation, never a crash", async () => {
    const answered: Answer = { status: 200, body: { likes: 3 }, retryAfterS: undefined, sentAt: 1, doneAt: 2, failure: undefined }
    const inner = { send: async (_: SendRequest): Promise<Answer> => answered }
    const like: SendRequest = { region: 'r', method: 'POST', path: '/v1/videos/v1/likes', body: '{"userId":"u1"}', headers: { 'idempotency-key': 'k' } }
    const base = { interfaceVersion: 1 as const, name: 'broken' }
    const throwing = new AdapterClient({ adapter: { ...base, request: () => { throw new TypeError('no map') }, response: () => ({ ok: true, value: {} }) }, inner })
    expect(await throwing.send(like)).toMatchObject({ status: 400, body: { code: 'LS_ADAPTER_REQUEST_FAILED' } })
    expect(throwing.faultLines).toEqual(["LS_ADAPTER_REQUEST_FAILED like: the adapter's request() threw TypeError: no map"])
    const garbage: Adapter = { ...base, request: () => ({ method: 'POST', path: '/x' }), response: () => ({ ok: true, value: { likeCount: 'three' } }) as never }
    const client = new AdapterClient({ adapter: garbage, inner })
    expect(await client.send(like)).toMatchObject({ status: 502, body: { code: 'LS_ADAPTER_BAD_OUTCOME' } })
    expect(client.faultLines[0]).toBe(`LS_ADAPTER_BAD_OUTCOME like: the adapter's response() returned value.likeCount "three", not a number on a 200`)
    const fine = new AdapterClient({ adapter: { ...garbage, response: () => ({ ok: false, failure: 'shed', retryAfterS: 2 }) }, inner })
    expect(await fine.send(like)).toMatchObject({ status: 503, body: { code: 'LS_HTTP_OVERLOADED' }, retryAfterS: 2 })
  })
})
