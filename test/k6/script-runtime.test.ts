// script.js, run outside k6 against stand-ins for k6's modules and a scripted server: it uses only
// k6 and the language (a fresh V8 context, no Node), sends each session's operations with their
// tags, fails over when a region refuses connections, retries a shed request with the same key,
// switches faults and reads state through the admin API, reads the final state, and every sample
// it writes goes through the ingester as k6 JSON lines.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { validateResult } from '../../result/result-schema.ts'
import { FAULTS_SCENARIO, FINAL_SCENARIO } from '../../scenarios/k6/export-options.ts'
import { ingestK6 } from '../../scenarios/k6/ingest.ts'
import { LIBRARY } from '../../scenarios/library/index.ts'
import { METRICS } from '../../scenarios/run/metric-store.ts'
import { parseThresholds } from '../../scenarios/run/threshold.ts'
import type { WorkloadFile } from '../../scenarios/k6/workload.ts'
import { exported, scratchDir } from './helpers/exports.ts'
import { Aborted, loadScript, type FakeResponse, type Sample, type Sandbox, type SentRequest } from './helpers/k6-sandbox.ts'
import { K6OutputWriter, RUN_EPOCH_MS } from './helpers/k6-lines.ts'

const summary = exported('region-failover')
const script = readFileSync(summary.files.script, 'utf8')
const workloadText = readFileSync(summary.files.workload, 'utf8')
const workload = JSON.parse(workloadText) as WorkloadFile
const SERVER_AHEAD_MS = 5000
/** k6's built-in metrics (https://grafana.com/docs/k6/latest/using-k6/metrics/reference/). */
const K6_BUILTIN_METRICS = ['http_reqs', 'http_req_duration', 'http_req_failed', 'http_req_blocked', 'http_req_connecting', 'http_req_tls_handshaking', 'http_req_sending', 'http_req_waiting', 'http_req_receiving', 'iterations', 'iteration_duration', 'dropped_iterations', 'vus', 'vus_max', 'data_sent', 'data_received', 'checks', 'group_duration']

/** A server that answers everything, refuses connections on us-west's port, and sheds the first try of each unlike. */
function respond(world: { scenario: string; seed: number; scale: number }) {
  const shed = new Set<string>()
  return (request: SentRequest): FakeResponse => {
    const path = request.url.replace(/^http:\/\/[^/]+/, '')
    const serverMs = request.atMs + SERVER_AHEAD_MS
    if (path.startsWith('/admin/v1/state')) {
      return {
        status: 200,
        body: {
          nowMs: serverMs,
          world: { ...world, strategy: 'robust' },
          regions: summary.manifest.regions.map((region) => ({ region, watermarkMs: serverMs, countsDigest: 'd' })),
          counters: { requests: 10, shed: 1 },
        },
      }
    }
    if (path.startsWith('/admin/v1/purges')) return { status: 200, body: { kind: 'bot', atMs: serverMs, accounts: [{ userId: workload.final.likers[0], reasons: ['volume'] }], removedLikes: [] } }
    if (path.startsWith('/admin/v1/')) return { status: 200, body: { faults: [] } }
    if (request.url.startsWith(summary.manifest.urls['us-west'] as string)) return { status: 0, errorCode: 1212 }
    if (request.method === 'DELETE') {
      const key = request.headers['idempotency-key'] ?? ''
      if (!shed.has(key)) {
        shed.add(key)
        return { status: 503, body: { code: 'LS_CORE_OVERLOADED', message: 'shed' }, headers: { 'Retry-After': '1' } }
      }
      return { status: 200, body: { liked: false, likeCount: 0, stale: false, asOfMs: serverMs } }
    }
    if (/^\/v1\/users\/[^/]+\/likes\?/.test(path)) return { status: 200, body: { userId: 'u', videoIds: [workload.final.videos[0]], nextCursor: null, asOfMs: serverMs } }
    if (path.includes('/notifications')) return { status: 200, body: { userId: 'u', notifications: [] } }
    if (/^\/v1\/users\/[^/]+\/likes\//.test(path)) return { status: 200, body: { liked: true, stale: false, asOfMs: serverMs } }
    if (path.endsWith('/views')) return { status: 200, body: { videoId: 'v', viewCount: 1, uniqueViewers: 1 } }
    if (path.endsWith('/likes')) return { status: 200, body: { liked: true, likeCount: 1, stale: false, asOfMs: serverMs } }
    return { status: 200, body: { videoId: 'v', likeCount: 1, viewCount: 1, uniqueViewers: 1, stale: false, asOfMs: serverMs } }
  }
}

function sandbox(env: Record<string, string>, world = { scenario: summary.manifest.scenario, seed: summary.manifest.seed, scale: summary.manifest.scale }): Sandbox {
  return loadScript({ script, files: { './workload.json': workloadText }, env, epochMs: RUN_EPOCH_MS, respond: respond(world) })
}

describe('script.js in a k6 stand-in', () => {
  let k6: Sandbox
  const SESSIONS = 300

  /** A sample's tags and metadata as one map, as the ingester reads them. */
  const fields = (sample: Sample): Record<string, string> => ({ ...sample.tags, ...sample.metadata })
  let samples: Array<Sample & { fields: Record<string, string> }>

  beforeAll(() => {
    k6 = sandbox({ ADMIN_TOKEN: 'token-0123456789abcdef' })
    const sessions = workload.sessions['sessions'] ?? []
    for (let i = 0; i < Math.min(SESSIONS, sessions.length); i++) k6.iterate('default', { name: 'sessions', startOffsetMs: 0, iterationInTest: i })
    k6.iterate('likestormFaults', { name: FAULTS_SCENARIO, startOffsetMs: 0, iterationInTest: 0 })
    for (let i = 0; i < workload.final.tasks.length; i++) k6.iterate('likestormFinal', { name: FINAL_SCENARIO, startOffsetMs: summary.plan.final.startMs, iterationInTest: i })
    samples = k6.samples.map((sample) => ({ ...sample, fields: fields(sample) }))
  })

  it('exports the options of the export', () => {
    expect(JSON.parse(JSON.stringify(k6.exports['options']))).toEqual(summary.options)
  })

  it('declares every LikeStorm metric a threshold may name, so that k6 takes the thresholds as they are', () => {
    expect(k6.metrics).toEqual(expect.arrayContaining(['likestorm_op', 'likestorm_admin', 'likestorm_purge', 'likestorm_final']))
    for (const metric of Object.keys(METRICS)) expect([...K6_BUILTIN_METRICS, ...k6.metrics], metric).toContain(metric)
    for (const scenario of LIBRARY) for (const threshold of parseThresholds(scenario.load.thresholds)) expect(Object.keys(METRICS)).toContain(threshold.key.metric)
  })

  it('sends each operation with its tags, and records every attempt', () => {
    const sent = k6.requests.filter((r) => r.tags['phase'] === 'run')
    expect(sent.length).toBeGreaterThan(SESSIONS)
    const first = sent[0] as SentRequest
    // The ids ride as metadata, so that k6 keeps a time series per tag set, not per request.
    expect(Object.keys(first.tags).sort()).toEqual(['attempt', 'op', 'phase', 'region'])
    expect(Object.keys(first.metadata).sort()).toEqual(['key', 'opId', 'req', 'user', 'video'])
    const points = k6.samples.filter((s) => s.metric === 'likestorm_op')
    expect(points.length).toBe(sent.length)
    const writes = sent.filter((r) => r.method !== 'GET')
    for (const write of writes) expect(write.headers['idempotency-key']).toBe(`ls-${summary.manifest.exportId}-${write.metadata['opId']}`)
    expect(k6.checks.some((c) => c.name === 'status 2xx' && c.passed)).toBe(true)
  })

  it('keeps ids out of k6 tags: the tag sets stay few however many requests the run sends', () => {
    const tagSets = new Set(k6.samples.map((s) => `${s.metric} ${JSON.stringify(Object.entries(s.tags).sort())}`))
    const requestTagSets = new Set(k6.requests.map((r) => JSON.stringify(Object.entries(r.tags).sort())))
    expect(k6.samples.length).toBeGreaterThan(3000)
    expect(tagSets.size).toBeLessThan(200)
    expect(requestTagSets.size).toBeLessThan(100)
    // Nothing is lost: every op point still has its ids and values.
    for (const point of samples.filter((s) => s.metric === 'likestorm_op')) expect(point.fields).toMatchObject({ opId: expect.any(String), req: expect.any(String), session: expect.any(String), t: expect.any(String), due: expect.any(String) })
  })

  it('times every scenario on one clock, k6\'s test run duration, whatever its own start', () => {
    const late = sandbox({ ADMIN_TOKEN: 'token-0123456789abcdef' })
    // k6 starts each scenario a few ms after the test (and after each other).
    late.iterate('default', { name: 'sessions', startOffsetMs: 4, iterationInTest: 0 })
    late.iterate('likestormFaults', { name: FAULTS_SCENARIO, startOffsetMs: 2, iterationInTest: 0 })
    const sent = late.requests.filter((r) => r.tags['phase'] === 'run')
    const ops = late.samples.filter((s) => s.metric === 'likestorm_op')
    expect(ops.map((s) => Number(s.metadata['t']))).toEqual(sent.map((r) => r.atMs))
    const admin = late.samples.filter((s) => s.metric === 'likestorm_admin')
    const adminSent = late.requests.filter((r) => r.url.includes('/admin/'))
    expect(admin.map((s) => Number(s.metadata['t']))).toEqual(adminSent.map((r) => r.atMs))
  })

  it('fails over from a region that refuses connections, and retries a shed request with the same key after Retry-After', () => {
    const points = samples.filter((s) => s.metric === 'likestorm_op')
    const refused = points.filter((p) => p.fields['region'] === 'us-west' && p.fields['k6err'] === '1212')
    expect(refused.length).toBeGreaterThan(0)
    const hop = points.find((p) => p.fields['req'] === refused[0]?.fields['req'] && p.fields['hop'] === '1')
    expect(hop?.fields['region']).not.toBe('us-west')
    const shed = points.filter((p) => p.fields['op'] === 'unlike' && p.fields['status'] === '503')
    expect(shed.length).toBeGreaterThan(0)
    const retried = points.find((p) => p.fields['req'] === shed[0]?.fields['req'] && p.fields['attempt'] === '2')
    expect(retried?.fields['status']).toBe('200')
    expect(Number(retried?.fields['t'])).toBeGreaterThanOrEqual(Number(shed[0]?.fields['t']) + 1000)
  })

  it('switches every fault through the admin API at its time, and samples the state', () => {
    const switches = samples.filter((s) => s.metric === 'likestorm_admin' && s.fields['phase'] === 'fault')
    expect(switches.map((s) => `${s.fields['fault']} ${s.fields['action']}`)).toEqual(summary.plan.faults.map((f) => `${f.fault} ${f.action}`))
    for (const [i, s] of switches.entries()) expect(Number(s.fields['t'])).toBeGreaterThanOrEqual((summary.plan.faults[i] as { atMs: number }).atMs)
    const outage = k6.requests.find((r) => r.url.endsWith('/admin/v1/faults') && (r.body ?? '').includes('"region-outage","action":"start"'))
    expect(outage?.headers['authorization']).toBe('Bearer token-0123456789abcdef')
    const lagReads = samples.filter((s) => s.metric === 'likestorm_admin' && s.fields['phase'] === 'sample')
    expect(lagReads.length).toBe(summary.plan.durationMs / summary.plan.sampleEveryMs)
  })

  it('reads the final state: every video in every region, the likers\' lists and the creators\' inboxes', () => {
    const reads = samples.filter((s) => s.metric === 'likestorm_final')
    const distinct = (what: string): number => new Set(reads.filter((r) => r.fields['what'] === what).map((r) => `${r.fields['region']}/${r.fields['id']}`)).size
    const regions = summary.manifest.regions.length
    expect(distinct('video')).toBe(workload.final.videos.length * regions)
    expect(distinct('likes')).toBe(workload.final.likers.length * regions)
    expect(distinct('inbox')).toBe(workload.final.creators.length)
    for (const read of reads) expect(read.fields['phase']).toBe('final')
    // us-west refuses connections here: each of its reads is tried readAttempts times.
    const westVideo = reads.filter((r) => r.fields['what'] === 'video' && r.fields['region'] === 'us-west')
    expect(westVideo.length).toBe(workload.final.videos.length * summary.plan.final.readAttempts)
  })

  it('writes samples the ingester reads back as a whole run', async () => {
    const dir = scratchDir('sandbox')
    const writer = new K6OutputWriter(1)
    for (const sample of k6.samples) writer.point(0, sample.metric, sample.metric === 'likestorm_purge' ? 'counter' : 'trend', sample.atMs, sample.value, sample.tags, sample.metadata)
    const file = join(dir, 'k6-out.json')
    writer.write([file])
    const ingested = await ingestK6({ exportDir: summary.dir, outputs: [file] })
    expect(ingested.attempts).toBe(k6.samples.filter((s) => s.metric === 'likestorm_op').length)
    expect(validateResult(JSON.parse(JSON.stringify(ingested.result)))).toEqual([])
    expect(ingested.result.metrics.failovers).toBeGreaterThan(0)
    // LikeStorm's own metrics, which thresholds may name, are fed in k6 too.
    const names = new Set(k6.samples.map((s) => s.metric))
    for (const metric of ['open_model_duration', 'likes_acknowledged', 'shed_requests', 'failovers']) expect(names.has(metric), metric).toBe(true)
    expect(ingested.result.metrics.retries).toBeGreaterThan(0)
    expect(ingested.result.faults.filter((f) => f.skipped !== undefined)).toEqual([])
    // Only SESSIONS sessions ran: the rest are counted as never sent.
    expect(ingested.notes.some((note) => /sessions have no request in the output/.test(note))).toBe(true)
  })

  it('reports, without an admin token, that the faults are skipped', async () => {
    const bare = sandbox({})
    bare.iterate('likestormFaults', { name: FAULTS_SCENARIO, startOffsetMs: 0, iterationInTest: 0 })
    expect(bare.requests).toEqual([])
    expect(bare.samples.map((s) => s.tags['code'])).toEqual(['LS_K6_NO_ADMIN_TOKEN'])
  })

  it('stops the test when the target serves another world', () => {
    const wrong = sandbox({ ADMIN_TOKEN: 'token-0123456789abcdef' }, { scenario: 'baseline', seed: 1, scale: 1 })
    expect(() => wrong.iterate('likestormFaults', { name: FAULTS_SCENARIO, startOffsetMs: 0, iterationInTest: 0 })).toThrow(Aborted)
    expect(() => wrong.iterate('likestormFaults', { name: FAULTS_SCENARIO, startOffsetMs: 0, iterationInTest: 0 })).toThrow(/serves baseline seed 1 scale 1, but this export is region-failover seed 7 scale 0.05/)
  })

  it('refuses a workload.json of another export', () => {
    const other = readFileSync(exported('baseline').files.workload, 'utf8')
    expect(() => loadScript({ script, files: { './workload.json': other }, env: {}, epochMs: RUN_EPOCH_MS, respond: respond({ scenario: '', seed: 0, scale: 1 }) })).toThrow(/is not the workload of this export/)
  })
})
