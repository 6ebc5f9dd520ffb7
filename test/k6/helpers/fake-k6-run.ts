// A k6 run of an export, simulated: the export's workload and plan executed against the in-process
// engagement core on virtual time, as k6 would send them to the mock server (one VU per session,
// operations at their offsets, failover on refused connections, retries with the same idempotency
// key, the faults VU, the final phase), writing exactly k6's JSON output lines — one file per k6
// instance — for ingest-k6 to judge. The points are built with the script's own tag functions
// (scenarios/k6/points.ts, read-tags.ts, op-values.ts), so the contract under test is the script's.
//
// The server's clock runs ahead of the run's by `serverOffsetMs`, as a server started before the
// test does: every server time in the output (asOfMs, watermarks, purge and notification times)
// carries the offset, and the ingester must take it out.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { EngagementCore } from '../../../mock-server/core/engagement-core.ts'
import { systemByName } from '../../helpers/planted-defects.ts'
import type { CoreResult } from '../../../mock-server/core/types.ts'
import { ERRORS, type ErrorCode } from '../../../mock-server/http/errors.ts'
import { EventQueue } from '../../../sim/event-queue.ts'
import { isWrite, OpKind } from '../../../sim/operation.ts'
import { Rng } from '../../../sim/rng.ts'
import { scenarioByName } from '../../../scenarios/library/index.ts'
import { FAILURE_KIND_NAMES, FailureKind } from '../../../sim/failure-kind.ts'
import { BAD_RESPONSE } from '../../../scenarios/protocol/answer-kind.ts'
import { ClientProtocol, idempotencyKey } from '../../../scenarios/protocol/client-protocol.ts'
import { afterFinalRead } from '../../../scenarios/protocol/final-reads.ts'
import { coreConfigFor, directoryFor, importedLikesFor, prepareRun } from '../../../scenarios/run/run-setup.ts'
import type { ExportManifest } from '../../../scenarios/k6/manifest.ts'
import { classifyK6Answer } from '../../../scenarios/k6/network-error.ts'
import { valueTags } from '../../../scenarios/k6/op-values.ts'
import { adminPointTags, finalPointTags, METRIC, opPointTags, opRequestTags, Phase, purgePointTags, type AdminPhase, type Answer, type FinalWhat, type OpAttempt, type Tags } from '../../../scenarios/k6/points.ts'
import { finalInboxTags, finalLikesTags, finalVideoTags, purgeEntries, purgeReportTags, stateReadTags } from '../../../scenarios/k6/read-tags.ts'
import type { FaultEvent, ScriptPlan } from '../../../scenarios/k6/script-plan.ts'
import { FinalTaskKind, OP_FIELDS, OpField, SESSION_HEAD, type SessionRow, type WorkloadFile } from '../../../scenarios/k6/workload.ts'
import { K6OutputWriter } from './k6-lines.ts'

export interface FakeRunOptions {
  readonly exportDir: string
  readonly plan: ScriptPlan
  /** Where the k6-<n>.json files go. */
  readonly outDir: string
  readonly strategy?: string
  /** k6 instances (execution segments); iteration i runs on instance i mod n. */
  readonly instances?: number
  readonly serverOffsetMs?: number
  /** Drop one standing acknowledged like from every region's final lists and counts. */
  readonly plantLostLike?: boolean
}

export interface FakeRun {
  readonly files: readonly string[]
  readonly attempts: number
  readonly lostLike: { readonly userId: string; readonly videoId: string } | undefined
}

const RTT_MS = 1
const ADMIN_MS = 2
const K6_DIAL_REFUSED = 1212
const K6_TIMEOUT = 1050

interface OpEvent {
  readonly atMs: number
  readonly type: 'op'
  readonly row: SessionRow
  readonly index: number
  readonly attempt: number
  readonly hop: number
  /** -1: pick by the client's policy. */
  readonly region: number
  readonly intendedMs: number
  readonly instance: number
}

type AdminEvent = { readonly atMs: number; readonly type: 'fault'; readonly event: FaultEvent } | { readonly atMs: number; readonly type: 'state'; readonly phase: AdminPhase } | { readonly atMs: number; readonly type: 'final' }

type Event = OpEvent | AdminEvent

interface Sent {
  readonly answer: Answer
  readonly body: unknown
  readonly elapsedMs: number
  readonly retryAfterMs: number | undefined
}

export function fakeK6Run(options: FakeRunOptions): FakeRun {
  const { plan } = options
  const instances = options.instances ?? 1
  const offsetMs = options.serverOffsetMs ?? 12_345.5
  const manifest = JSON.parse(readFileSync(join(options.exportDir, 'likestorm.json'), 'utf8')) as ExportManifest
  const workload = JSON.parse(readFileSync(join(options.exportDir, 'workload.json'), 'utf8')) as WorkloadFile
  const scenario = manifest.definition ?? scenarioByName(manifest.scenario)
  if (scenario === undefined) throw new Error(`fake k6 run: no scenario ${manifest.scenario}`)
  const setup = prepareRun({ scenario, seed: manifest.seed, scale: manifest.scale })
  const strategy = systemByName(options.strategy ?? 'robust')
  const core = new EngagementCore(coreConfigFor(setup), strategy)
  core.loadDirectory(directoryFor(setup.population))
  core.importLikes(importedLikesFor(setup.population))
  const regions = plan.regions.map((region) => region.id)
  const protocol = new ClientProtocol({ spec: plan.client, regions: plan.regions, random: new Rng(manifest.seed).stream('fake-k6-client') })
  const writer = new K6OutputWriter(instances)
  const segment = (instance: number): string => (instances === 1 ? '0:1' : `${instance === 0 ? '0' : `${instance}/${instances}`}:${instance + 1 === instances ? '1' : `${instance + 1}/${instances}`}`)
  const base = (instance: number): { exportId: string; seg: string } => ({ exportId: manifest.exportId, seg: segment(instance) })
  const events = new EventQueue<Event>()
  const acked: Array<{ userId: string; videoId: string }> = []
  const down = new Set<string>()
  let attempts = 0
  let lostLike: FakeRun['lostLike']

  // ---- the sessions: iteration i of each k6 scenario on instance i mod n ------------------------
  for (const name of plan.sessionScenarios) {
    ;(workload.sessions[name] ?? []).forEach((row, i) => {
      if (row === null) return
      events.push({ atMs: row[1], type: 'op', row, index: 0, attempt: 1, hop: 0, region: -1, intendedMs: row[1], instance: i % instances })
    })
  }
  // ---- the faults VU and the final phase (instance 0) ------------------------------------------
  events.push({ atMs: 0, type: 'state', phase: Phase.Clock })
  for (const event of plan.faults) events.push({ atMs: event.atMs, type: 'fault', event })
  for (let t = plan.sampleEveryMs; t <= plan.durationMs; t += plan.sampleEveryMs) events.push({ atMs: t, type: 'state', phase: Phase.Sample })
  events.push({ atMs: plan.convergence.fromMs, type: 'state', phase: Phase.Probe })
  events.push({ atMs: plan.faultsEndMs, type: 'state', phase: Phase.Counters })
  events.push({ atMs: plan.final.startMs, type: 'final' })

  /** A body as the server sends it: its times on the server's clock. */
  const serverBody = (value: unknown): unknown => {
    const body = { ...(value as Record<string, unknown>) }
    if (typeof body['asOfMs'] === 'number') body['asOfMs'] = (body['asOfMs'] as number) + offsetMs
    if (Array.isArray(body['notifications'])) {
      const notes = body['notifications'] as Array<{ likedAtMs: number; deliveredAtMs: number }>
      body['notifications'] = notes.map((n) => ({ ...n, likedAtMs: n.likedAtMs + offsetMs, deliveredAtMs: n.deliveredAtMs + offsetMs }))
    }
    return body
  }

  /** What k6 would have seen: the core's answer through the mock server's HTTP layer. */
  const answerOf = (result: CoreResult<unknown>, sentMs: number, wrap: (value: unknown) => unknown = serverBody): Sent => {
    if (result.ok) {
      const latencyMs = result.latencyMs + RTT_MS
      if (latencyMs > plan.client.timeoutMs) return { answer: { sentMs, status: 0, k6err: K6_TIMEOUT, code: '' }, body: undefined, elapsedMs: plan.client.timeoutMs, retryAfterMs: undefined }
      return { answer: { sentMs, status: 200, k6err: 0, code: '' }, body: wrap(result.value), elapsedMs: latencyMs, retryAfterMs: undefined }
    }
    // A region that is down closes its listener: connection refused.
    if (result.code === 'LS_CORE_REGION_DOWN') return { answer: { sentMs, status: 0, k6err: K6_DIAL_REFUSED, code: '' }, body: undefined, elapsedMs: RTT_MS, retryAfterMs: undefined }
    const elapsedMs = Math.min(plan.client.timeoutMs, result.latencyMs + RTT_MS)
    return { answer: { sentMs, status: ERRORS[result.code as ErrorCode].status, k6err: 0, code: result.code }, body: { code: result.code }, elapsedMs, retryAfterMs: result.retryAfterMs }
  }

  const send = (kind: number, userId: string, videoId: string, watchMs: number, key: string, region: string, t: number): CoreResult<unknown> => {
    const idempotencyKey = key === '' ? undefined : key
    switch (kind) {
      case OpKind.ReadVideo:
        return core.readVideo({ nowMs: t, region, videoId })
      case OpKind.View:
        return core.view({ nowMs: t, region, userId, videoId, watchMs, idempotencyKey })
      case OpKind.Like:
        return core.like({ nowMs: t, region, userId, videoId, idempotencyKey })
      case OpKind.Unlike:
        return core.unlike({ nowMs: t, region, userId, videoId, idempotencyKey })
      default: {
        const result = core.readLiked({ nowMs: t, region, userId, videoId })
        return result.ok ? { ...result, value: { userId, videoId, ...result.value } } : result
      }
    }
  }

  const runOp = (ev: OpEvent): void => {
    const t = ev.atMs
    const row = ev.row
    const at = SESSION_HEAD + ev.index * OP_FIELDS
    const field = (f: number): number => row[at + f] as number
    const kind = field(OpField.Kind)
    const home = row[4]
    const route = field(OpField.Route)
    const keyId = field(OpField.KeyId)
    const key = isWrite(kind as OpKind) ? idempotencyKey(manifest.exportId, keyId) : ''
    if (ev.attempt === 1 && ev.hop === 0) protocol.begin(home)
    const region = ev.region >= 0 ? ev.region : protocol.regionFor(home, route, t)
    const attempt: OpAttempt = {
      ...base(ev.instance),
      kind,
      opId: keyId,
      req: field(OpField.Req),
      key,
      session: row[0],
      userId: row[2],
      videoId: row[3],
      region: regions[region] as string,
      device: field(OpField.Device),
      attempt: ev.attempt,
      hop: ev.hop,
      failover: region !== home && region !== route,
      dueMs: ev.intendedMs,
    }
    const sent = answerOf(send(kind, row[2], row[3], field(OpField.WatchMs), key, attempt.region, t), t)
    attempts++
    const ok = sent.answer.status >= 200 && sent.answer.status < 300
    const values = ok ? valueTags(kind, sent.body) : undefined
    let classified = classifyK6Answer(sent.answer)
    if (classified.kind === FailureKind.None && values === undefined) classified = BAD_RESPONSE
    writer.point(ev.instance, METRIC.op, 'trend', t + sent.elapsedMs, sent.elapsedMs, opPointTags(attempt, sent.answer, { kind: FAILURE_KIND_NAMES[classified.kind], code: classified.code }, values))
    // k6's own samples of the request, which the ingester must pass over.
    const systemTags = { ...opRequestTags(attempt), method: 'GET', status: String(sent.answer.status), scenario: 'sessions', expected_response: ok ? 'true' : 'false' }
    writer.point(ev.instance, 'http_reqs', 'counter', t + sent.elapsedMs, 1, systemTags)
    const doneMs = t + sent.elapsedMs
    if (classified.kind === FailureKind.None && kind === OpKind.Like) acked.push({ userId: row[2], videoId: row[3] })
    const decision = protocol.decide({ kind: classified.kind, home, region, attempt: ev.attempt, hop: ev.hop, nowMs: doneMs, retryAfterMs: sent.retryAfterMs })
    if (decision.next === 'fail-over') {
      events.push({ ...ev, atMs: doneMs, hop: ev.hop + 1, region: decision.region, intendedMs: doneMs })
      return
    }
    if (decision.next === 'retry') {
      const dueMs = doneMs + decision.delayMs
      events.push({ ...ev, atMs: dueMs, attempt: ev.attempt + 1, hop: 0, region: -1, intendedMs: dueMs })
      return
    }
    nextOp(ev, doneMs)
  }

  const nextOp = (ev: OpEvent, doneMs: number): void => {
    const index = ev.index + 1
    if (SESSION_HEAD + index * OP_FIELDS >= ev.row.length) return
    const dueMs = ev.row[1] + (ev.row[SESSION_HEAD + index * OP_FIELDS + OpField.OffsetMs] as number)
    events.push({ ...ev, atMs: Math.max(dueMs, doneMs), index, attempt: 1, hop: 0, region: -1, intendedMs: dueMs })
  }

  // ---- the admin API, as the faults VU calls it -------------------------------------------------
  const adminPoint = (phase: AdminPhase, action: string, fault: number, t: number, extra: Tags): void => {
    const region = regions.find((id) => !down.has(id)) ?? ''
    writer.point(0, METRIC.admin, 'trend', t + ADMIN_MS, ADMIN_MS, adminPointTags({ ...base(0), phase, action, fault, region }, { sentMs: t, status: 200, k6err: 0, code: '' }, extra))
  }

  const readState = (phase: AdminPhase, t: number): number[] => {
    // The server answers at the middle of the round trip.
    const state = core.state(t + ADMIN_MS / 2)
    const body = {
      nowMs: t + ADMIN_MS / 2 + offsetMs,
      world: { scenario: manifest.scenario, seed: manifest.seed, scale: manifest.scale, strategy: strategy.name },
      regions: state.regions.map((r) => ({ region: r.region, watermarkMs: r.watermarkMs + offsetMs, countsDigest: r.countsDigest })),
      counters: state.counters,
    }
    adminPoint(phase, 'state', -1, t, stateReadTags(body, regions, manifest.urls[regions[0] as string] as string))
    return state.regions.map((r) => r.watermarkMs)
  }

  const switchFault = (event: FaultEvent, t: number): void => {
    const body = JSON.parse(event.request.body ?? '{}') as { kind?: string; region?: string; a?: string; b?: string; factor?: number; latencyMs?: number; videoIds?: string[]; idleDays?: number }
    const start = event.action === 'start'
    let extra: Tags = {}
    if (event.action === 'purge') {
      const report = event.request.path.endsWith('/bot') ? core.runBotPurge(t) : core.runInactivePurge(t, { idleDays: body.idleDays ?? 90 })
      const reported = { ...report, atMs: report.atMs + offsetMs }
      extra = purgeReportTags(reported)
      const entries = purgeEntries(reported)
      for (const account of entries.accounts) writer.point(0, METRIC.purge, 'counter', t + ADMIN_MS, 1, purgePointTags({ ...base(0), fault: event.fault, what: 'account', userId: account.userId, videoId: '', reasons: account.reasons }))
      for (const like of entries.likes) writer.point(0, METRIC.purge, 'counter', t + ADMIN_MS, 1, purgePointTags({ ...base(0), fault: event.fault, what: 'like', userId: like.userId, videoId: like.videoId, reasons: '' }))
      for (const item of entries.views ?? []) writer.point(0, METRIC.purge, 'counter', t + ADMIN_MS, 1, purgePointTags({ ...base(0), fault: event.fault, what: 'view', userId: item.userId, videoId: item.videoId, reasons: '', views: item.views }))
    } else {
      switch (body.kind) {
        case 'region-outage':
          core.setRegionUp(body.region as string, !start, t)
          if (start) down.add(body.region as string)
          else down.delete(body.region as string)
          break
        case 'partition':
          core.setPartition(body.a as string, body.b as string, start, t)
          break
        case 'slow-cache':
          core.setSlowCache(body.region as string, start ? (body.latencyMs ?? 0) : 0)
          break
        case 'overload':
          core.setOverload(body.region as string, start ? (body.factor ?? 1) : 1)
          break
        case 'takedown':
          core.setTakenDown(body.videoIds ?? [], start)
          break
      }
    }
    adminPoint(Phase.Fault, event.action, event.fault, t, extra)
  }

  // ---- the final phase: the tasks in order, paced ------------------------------------------------
  const finalPhase = (startMs: number): void => {
    let t = startMs
    if (options.plantLostLike === true) lostLike = chooseLostLike(t)
    const final = plan.final
    workload.final.tasks.forEach(([kind, regionIndex, from, to], task) => {
      const instance = task % instances
      const region = regions[regionIndex] as string
      const read = (what: FinalWhat, id: string, page: number, call: (nowMs: number) => CoreResult<unknown>, accept: (body: unknown) => Tags | undefined): unknown => {
        for (let attempt = 1; ; attempt++) {
          const sent = answerOf(call(t), t, (value) => plant(what, id, serverBody(value)))
          const extra = sent.answer.status === 200 ? accept(sent.body) : undefined
          writer.point(instance, METRIC.final, 'trend', t + sent.elapsedMs, sent.elapsedMs, finalPointTags({ ...base(instance), what, region: what === 'inbox' ? (regions[0] as string) : region, id, page, attempt }, sent.answer, extra ?? {}))
          t += Math.max(final.readSpacingMs, sent.elapsedMs)
          const decision = afterFinalRead({ kind: classifyK6Answer(sent.answer).kind, usable: extra !== undefined, attempt })
          if (decision.next === 'done') return sent.body
          if (decision.next === 'give-up') return undefined
          t += decision.delayMs
        }
        return undefined
      }
      for (let i = from; i < to; i++) {
        if (kind === FinalTaskKind.Videos) {
          const videoId = workload.final.videos[i] as string
          read('video', videoId, 0, (nowMs) => core.readVideo({ nowMs, region, videoId }), finalVideoTags)
        } else if (kind === FinalTaskKind.Likes) {
          const userId = workload.final.likers[i] as string
          let cursor: string | undefined
          for (let page = 0; page < 10_000; page++) {
            const pageCursor = cursor
            const body = read('likes', userId, page, (nowMs) => core.listLikes({ nowMs, region, userId, cursor: pageCursor, limit: 1000 }), finalLikesTags) as { nextCursor: string | null } | undefined
            if (body === undefined || body.nextCursor === null) break
            cursor = body.nextCursor
          }
        } else {
          const userId = workload.final.creators[i] as string
          const inboxRegion = regions[0] as string
          read('inbox', userId, 0, (nowMs) => core.readNotifications({ nowMs, region: inboxRegion, userId, limit: final.inboxLimit }), (body) => finalInboxTags(body, final.inboxLimit))
        }
      }
    })
  }

  /** A like acknowledged in the run that every region holds at the end: the one the plant removes. */
  const chooseLostLike = (t: number): FakeRun['lostLike'] => {
    for (const like of acked) {
      const everywhere = regions.every((region) => {
        const result = core.readLiked({ nowMs: t, region, userId: like.userId, videoId: like.videoId })
        return result.ok && result.value.liked
      })
      if (everywhere) return like
    }
    throw new Error('fake k6 run: no standing like to plant a loss on')
  }

  /** The planted loss, applied to what the final reads return. */
  const plant = (what: FinalWhat, id: string, body: unknown): unknown => {
    if (lostLike === undefined) return body
    const b = body as Record<string, unknown>
    if (what === 'video' && id === lostLike.videoId && typeof b['likeCount'] === 'number') return { ...b, likeCount: (b['likeCount'] as number) - 1 }
    if (what === 'likes' && id === lostLike.userId && Array.isArray(b['videoIds'])) return { ...b, videoIds: (b['videoIds'] as string[]).filter((videoId) => videoId !== lostLike?.videoId) }
    return body
  }

  // ---- virtual time ------------------------------------------------------------------------------
  let lastVusSecond = -1
  for (let event = events.pop(); event !== undefined; event = events.pop()) {
    const second = Math.floor(event.atMs / 1000)
    if (second !== lastVusSecond) {
      for (let instance = 0; instance < instances; instance++) writer.point(instance, 'vus', 'gauge', event.atMs, 5 + instance, null)
      lastVusSecond = second
    }
    switch (event.type) {
      case 'op':
        runOp(event)
        break
      case 'fault':
        switchFault(event.event, event.atMs)
        break
      case 'state': {
        const marks = readState(event.phase, event.atMs)
        if (event.phase === Phase.Probe) {
          const fromMs = plan.convergence.fromMs
          if (!marks.every((mark) => mark >= fromMs) && event.atMs < fromMs + plan.convergence.deadlineMs) {
            events.push({ atMs: event.atMs + plan.convergence.probeEveryMs, type: 'state', phase: Phase.Probe })
          }
        }
        break
      }
      case 'final':
        finalPhase(event.atMs)
        break
    }
  }
  const files = Array.from({ length: instances }, (_, i) => join(options.outDir, `k6-${i + 1}.json`))
  writer.write(files)
  return { files, attempts, lostLike }
}

