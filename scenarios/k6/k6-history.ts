// From the gathered points of a k6 run to the history every LikeStorm checker reads: attempts in
// time order (all instances merged), each with the failure kind the script classified where the
// answer arrived (its outcome by scenarios/protocol/answer-kind.ts, as in every mode), server times moved onto the run's clock, fault records with what the
// purges reported, lag samples, convergence probes and the final snapshot. Pure.
import { lastDisturbanceEndMs, type FaultSpec } from '../../sim/faults.ts'
import { History, emptyRegionFinal, pairOf, type FaultRecord, type InboxEntry, type PurgeRecord, type RegionFinal } from '../../sim/history.ts'
import { clientProcess, OpKind } from '../../sim/operation.ts'
import type { Population } from '../../sim/population.ts'
import { finalReadSubjects } from '../../sim/final-read-subjects.ts'
import { FailureKind } from '../../sim/failure-kind.ts'
import { BAD_RESPONSE, type Classified } from '../protocol/answer-kind.ts'
import { recordFailure } from '../protocol/record-answer.ts'
import { LATE_SCENARIO_MS } from '../run/http/harness-health.ts'
import type { AttemptRows } from './attempt-rows.ts'
import type { ChunkStore } from '../../sim/history-chunks.ts'
import type { AdminRecord, OutputCollector } from './output-collector.ts'
import { CLOCK_SLACK_EXTRA_MS, Phase } from './points.ts'

export interface RebuiltRun {
  readonly history: History
  /** The target's clock less the run's, ms (0 when no state read says). */
  readonly serverOffsetMs: number
  /** How far a server time moved onto the run's clock may be off, ms (Infinity: no state read to calibrate on). */
  readonly clockSlackMs: number
  readonly systemCounters: Readonly<Record<string, number>>
  /** What the user should know about the output (missing parts, skipped faults). */
  readonly notes: readonly string[]
  /** The output lacks part of the run: the final phase, or some instance's segment. */
  readonly incomplete: boolean
  readonly strategyReported: string | undefined
  readonly targetReported: string | undefined
  /** From the run's start to the last answer in the output, ms. */
  readonly spanMs: number
}

export interface RebuildInput {
  readonly collector: OutputCollector
  readonly population: Population
  readonly faults: readonly FaultSpec[]
  readonly durationMs: number
  /** Where the history's chunks go (a spill file, for a long output); without one they stay in memory. */
  readonly store?: ChunkStore
}

/** Rows per chunk of a history given a store (the most the history takes). */
const SPILLED_CHUNK_ROWS = 1 << 16

export function rebuildHistory(input: RebuildInput): RebuiltRun {
  const { collector, population } = input
  const notes: string[] = []
  const stateReads = collector.admin.filter((record) => record.action === 'state' && record.status === 200 && (record.tags['now'] ?? '') !== '')
  const serverOffsetMs = clockOffset(stateReads)
  const clockSlackMs = clockSlack(stateReads)
  if (stateReads.length === 0) notes.push('no admin state read in the output: server times (asOfMs, watermarks) are taken as run times, and convergence cannot be measured')
  const history = input.store === undefined ? new History() : new History({ capacity: SPILLED_CHUNK_ROWS, store: input.store })
  // What the checks must allow for in the target's asOfMs, as mode http does (server-clock.ts).
  history.asOfSlackMs = clockSlackMs
  fillAttempts(history, collector, serverOffsetMs)
  const faultNotes = fillFaults(history, input, serverOffsetMs)
  notes.push(...faultNotes)
  for (const read of stateReads) {
    const atMs = read.sentMs + read.elapsedMs / 2
    const watermarkMs = (read.tags['marks'] ?? '').split(',').map((mark) => Number(mark) - serverOffsetMs)
    if (read.phase === Phase.Sample) history.lagSamples.push({ atMs, watermarkMs })
    if (read.phase === Phase.Probe) history.probes.push({ atMs, watermarkMs, digests: (read.tags['digests'] ?? '').split(',') })
  }
  history.probes.sort((a, b) => a.atMs - b.atMs)
  history.lagSamples.sort((a, b) => a.atMs - b.atMs)
  const disturbanceEndMs = lastDisturbanceEndMs(input.faults)
  history.convergenceFromMs = disturbanceEndMs > 0 ? disturbanceEndMs : input.durationMs
  const finalNote = fillFinal(history, collector, population, serverOffsetMs)
  if (finalNote !== undefined) notes.push(finalNote)
  const segmentNote = segmentCoverage(collector.segments)
  if (segmentNote !== undefined) notes.push(segmentNote)
  const latest = [...stateReads].sort((a, b) => a.sentMs - b.sentMs).pop()
  const clock = stateReads.find((read) => read.phase === Phase.Clock) ?? latest
  return {
    history,
    serverOffsetMs,
    clockSlackMs,
    systemCounters: parseCounters(latest?.tags['counters'] ?? ''),
    notes,
    incomplete: history.final === undefined || segmentNote !== undefined,
    strategyReported: clock?.tags['strategy'],
    targetReported: clock?.tags['target'],
    spanMs: lastAnswerMs(history, collector),
  }
}

function lastAnswerMs(history: History, collector: OutputCollector): number {
  let last = history.final?.atMs ?? 0
  for (let i = 0; i < history.length; i++) {
    const done = history.completeMsOf(i)
    if (Number.isFinite(done) && done > last) last = done
  }
  for (const record of collector.admin) last = Math.max(last, record.sentMs + record.elapsedMs)
  return last
}

/** The target's clock against the run's, from the state read with the shortest round trip (its midpoint is the best-known instant). */
export function clockOffset(reads: readonly AdminRecord[]): number {
  let best: AdminRecord | undefined
  for (const read of reads) if (best === undefined || read.elapsedMs < best.elapsedMs) best = read
  if (best === undefined) return 0
  return Number(best.tags['now']) - (best.sentMs + best.elapsedMs / 2)
}

export { CLOCK_SLACK_EXTRA_MS }

/** How far off the offset clockOffset picks may be: half its read's round trip plus CLOCK_SLACK_EXTRA_MS; Infinity without a read. */
export function clockSlack(reads: readonly AdminRecord[]): number {
  let best = Infinity
  for (const read of reads) best = Math.min(best, read.elapsedMs)
  return best === Infinity ? Infinity : best / 2 + CLOCK_SLACK_EXTRA_MS
}

/**
 * How late the script sent operations: each first attempt's send time less its due time, ms (null:
 * none). A session's later operations wait for its earlier ones' answers (a k6 iteration is one
 * session), so their delays are partly the system's; how late sessions *started* is k6's own.
 */
export interface SendDelay {
  readonly count: number
  readonly p50Ms: number | null
  readonly p99Ms: number | null
  readonly maxMs: number | null
  /** Sessions whose first operation was sent. */
  readonly sessions: number
  /** Of those, how many started more than LATE_SCENARIO_MS after their due time (mode http's rule). */
  readonly lateStarts: number
}

export function sendDelay(attempts: Pick<AttemptRows, 'length' | 'get'>): SendDelay {
  const delays: number[] = []
  // Each session's first operation: the earliest due time among its first attempts.
  const starts = new Map<number, { dueMs: number; delayMs: number }>()
  for (let i = 0; i < attempts.length; i++) {
    if (attempts.get('attempt', i) !== 1 || attempts.get('hop', i) !== 0) continue
    const dueMs = attempts.get('dueMs', i)
    const delayMs = attempts.get('sentMs', i) - dueMs
    delays.push(delayMs)
    const session = attempts.get('session', i)
    const start = starts.get(session)
    if (start === undefined || dueMs < start.dueMs) starts.set(session, { dueMs, delayMs })
  }
  let lateStarts = 0
  for (const start of starts.values()) if (start.delayMs > LATE_SCENARIO_MS) lateStarts++
  if (delays.length === 0) return { count: 0, p50Ms: null, p99Ms: null, maxMs: null, sessions: 0, lateStarts: 0 }
  const sorted = Float64Array.from(delays).sort()
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number
  return { count: sorted.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted[sorted.length - 1] as number, sessions: starts.size, lateStarts }
}

function fillAttempts(history: History, collector: OutputCollector, serverOffsetMs: number): void {
  const attempts = collector.attempts
  // All instances merged by send time (ties: request, attempt, hop).
  for (const i of attempts.sendOrder()) {
    const get = (column: Parameters<typeof attempts.get>[0]): number => attempts.get(column, i)
    const kind = get('kind') as OpKind
    const user = get('user')
    const sentMs = get('sentMs')
    const elapsedMs = get('elapsedMs')
    const index = history.invoke({ kind, opId: get('opId'), user, video: get('video'), process: clientProcess(user, get('device')), region: get('region'), attempt: get('attempt'), invokeMs: sentMs, failover: get('failover') === 1 })
    const dueMs = get('dueMs')
    if (dueMs < sentMs) history.intended(index, dueMs)
    let failure: Classified = { kind: get('failure') as FailureKind, code: collector.codes[get('code')] ?? '' }
    if (failure.kind === FailureKind.None && get('valuesOk') !== 1) failure = BAD_RESPONSE
    const completeMs = sentMs + elapsedMs
    if (failure.kind !== FailureKind.None) {
      recordFailure(history, index, { doneMs: completeMs, latencyMs: elapsedMs, failure })
      continue
    }
    history.ok(index, completeMs, elapsedMs)
    const asOfMs = get('asOfMs') - serverOffsetMs
    const stale = get('stale') === 1
    if (kind === OpKind.ReadLiked) history.likedFlag(index, { liked: get('liked') === 1, stale, asOfMs })
    else history.counts(index, { likeCount: get('likeCount'), viewCount: get('viewCount'), uniqueViewers: get('uniqueViewers'), stale, asOfMs })
  }
}

/** One record per fault of the timeline, in start order: when the switches happened, whether they did, what a purge removed. */
function fillFaults(history: History, input: RebuildInput, serverOffsetMs: number): string[] {
  const { collector } = input
  const notes: string[] = []
  const noToken = collector.admin.some((record) => record.code === 'LS_K6_NO_ADMIN_TOKEN')
  const order = input.faults.map((spec, index) => ({ spec, index })).sort((a, b) => a.spec.startS - b.spec.startS || a.index - b.index)
  for (const { spec, index } of order) {
    const switches = collector.admin.filter((record) => record.phase === Phase.Fault && record.fault === index)
    const succeeded = (action: string): AdminRecord | undefined => switches.find((record) => record.action === action && record.status >= 200 && record.status < 300)
    const started = succeeded(spec.kind === 'bot-purge' || spec.kind === 'inactive-purge' ? 'purge' : 'start')
    const stopped = succeeded('stop')
    const record: FaultRecord = {
      spec,
      startMs: started === undefined ? spec.startS * 1000 : started.sentMs,
      endMs: stopped === undefined ? spec.endS * 1000 : stopped.sentMs,
    }
    if (spec.kind !== 'ddos' && started === undefined) {
      const refused = switches.find((r) => r.status !== 0 || r.code !== '')
      record.skipped = noToken
        ? 'ADMIN_TOKEN was not set for the k6 run'
        : refused === undefined
          ? 'the k6 output has no switch of this fault'
          : `the admin API answered ${refused.status}${refused.code === '' ? '' : ` ${refused.code}`}`
      notes.push(`fault ${index} (${spec.kind}) not applied: ${record.skipped}`)
    }
    const items = collector.purges.get(index)
    if (started !== undefined && (spec.kind === 'bot-purge' || spec.kind === 'inactive-purge')) {
      const at = Number(started.tags['at'])
      const purge: PurgeRecord = {
        kind: spec.kind === 'bot-purge' ? 'bot' : 'inactive',
        atMs: Number.isFinite(at) ? at - serverOffsetMs : started.sentMs,
        accounts: items?.accounts.map((a) => a.user) ?? [],
        reasons: items?.accounts.map((a) => a.reasons) ?? [],
        removedUsers: items?.likes.map((l) => l.user) ?? [],
        removedVideos: items?.likes.map((l) => l.video) ?? [],
        // The admin point says whether the report had removedViews at all (absent: the system keeps views).
        ...(started.tags['views'] === undefined ? {} : { removedViews: { users: items?.views.map((v) => v.user) ?? [], videos: items?.views.map((v) => v.video) ?? [], views: items?.views.map((v) => v.views) ?? [] } }),
        unknownIds: items?.unknownIds ?? 0,
      }
      const reported = Number(started.tags['accounts'])
      if (Number.isFinite(reported) && reported !== purge.accounts.length + (items?.unknownIds ?? 0) && reported > 0) {
        notes.push(`purge ${index}: the admin API reported ${reported} accounts but the output lists ${purge.accounts.length}: part of the report is missing from the output`)
      }
      record.purge = purge
    }
    history.faults.push(record)
  }
  return notes
}

/** The final snapshot from the final reads; undefined (with a note) when the output has none. */
function fillFinal(history: History, collector: OutputCollector, population: Population, serverOffsetMs: number): string | undefined {
  if (collector.finalReads === 0) return 'the output has no final reads (likestorm_final did not run or was cut): the invariants that need them fail'
  const videoCount = population.videoCount
  const subjects = finalReadSubjects(history, population)
  const mustList = subjects.likers
  const regions: RegionFinal[] = population.regionIds.map((region) => {
    const final = emptyRegionFinal(region, videoCount)
    final.readAtMs = collector.finalDoneMs.get(region) ?? 0
    for (let video = 0; video < videoCount; video++) {
      const read = collector.finalVideos.get(`${region}/${video}`)
      if (read === undefined) continue
      final.likeCount[video] = read.likeCount
      final.viewCount[video] = read.viewCount
      final.uniqueViewers[video] = read.uniqueViewers
      final.readOk[video] = 1
    }
    for (const user of mustList) {
      const list = collector.finalLists.get(`${region}/${user}`)
      if (list === undefined || !list.complete) final.listFailures++
    }
    for (const [key, list] of collector.finalLists) {
      if (!key.startsWith(`${region}/`)) continue
      const user = Number(key.slice(region.length + 1))
      for (const video of list.videos) final.likedPairs.add(pairOf(video, user))
    }
    return final
  })
  const inboxes = new Map<number, InboxEntry[]>()
  let inboxFailures = 0
  let inboxMax = 100
  for (const creator of subjects.creators) {
    const read = collector.finalInboxes.get(creator)
    if (read === undefined) {
      inboxFailures++
      continue
    }
    inboxMax = read.limit
    inboxes.set(
      creator,
      read.entries.map((entry) => ({ fromUser: entry.fromUser, video: entry.video, likedAtMs: entry.likedAtMs - serverOffsetMs, deliveredAtMs: entry.deliveredAtMs - serverOffsetMs })),
    )
  }
  history.final = { atMs: Math.max(...regions.map((r) => r.readAtMs)), regions, inboxes, inboxMax, inboxFailures }
  return undefined
}

function parseCounters(text: string): Record<string, number> {
  const counters: Record<string, number> = {}
  for (const part of text.split(';')) {
    const at = part.indexOf('=')
    if (at <= 0) continue
    const value = Number(part.slice(at + 1))
    if (Number.isFinite(value)) counters[part.slice(0, at)] = value
  }
  return counters
}

/** Whether the execution segments seen cover the whole test (0 to 1); a note when not. */
export function segmentCoverage(segments: ReadonlySet<string>): string | undefined {
  const spans: Array<[number, number]> = []
  for (const segment of segments) {
    const [from, to] = segment.split(':').map(fraction)
    if (from === undefined || to === undefined || Number.isNaN(from) || Number.isNaN(to)) return `the output names an execution segment ${JSON.stringify(segment)} that does not parse`
    spans.push([from, to])
  }
  spans.sort((a, b) => a[0] - b[0])
  let covered = 0
  for (const [from, to] of spans) {
    if (from > covered + 1e-9) break
    covered = Math.max(covered, to)
  }
  if (covered >= 1 - 1e-9) return undefined
  return `the outputs cover execution segments ${[...segments].sort().join(', ')} only, not the whole test: pass the JSON output of every k6 instance (the result is marked interrupted)`
}

/** A k6 segment bound: 1/2, 0.5 or 50%. */
function fraction(text: string): number {
  if (text.endsWith('%')) return Number(text.slice(0, -1)) / 100
  const [num, den] = text.split('/')
  return Number(num) / (den === undefined ? 1 : Number(den))
}
