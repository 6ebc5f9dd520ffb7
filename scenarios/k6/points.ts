// The contract between the k6 script and the ingester: which custom metrics the script writes and
// the tags of each point. k6 writes every sample to its JSON output (`k6 run --out json=FILE`) as
// {"type":"Point","metric":…,"data":{"time":…,"value":…,"tags":{…}}}, tags as strings; these
// points are the run's whole history. Pure and free of Node APIs: the script bundles it, the
// ingester and the tests' fixture writer build and read the same tags through it.
//
//   likestorm_op     one point per request attempt of the run (trend: ms from send to answer)
//   likestorm_admin  one per admin API call: fault switches, purges, state reads (clock, lag
//                    samples, convergence probes, the system's counters) (trend: ms)
//   likestorm_purge  one per account or like a purge reported removing (counter: 1)
//   likestorm_final  one per read of the final phase (trend: ms)
//
// A point's fields are split in two (splitPoint): the few of bounded cardinality (phase, op, region,
// status, failure kind, …) are k6 tags, so k6 keeps a few hundred time series whatever the run's
// length; the ids (opId, req, key, user, video, session, times, returned values) are k6 metadata
// (exec.vu.metrics.metadata, k6 >= 0.45), which k6 writes to the JSON output's "metadata" field of
// each point without making a time series of it. The ingester reads both as one map (k6-json.ts),
// so outputs of older exports, with everything in tags, read the same.
//
// Times are ms since the run's start (the start of the k6 test on that instance:
// exec.instance.currentTestRunDuration, one origin for every k6 scenario); server times (asOfMs, watermarks, purge
// times) are the target's clock and are translated by the ingester with the clock offset measured
// from the admin state reads.
import type { FailureKindName } from '../../sim/failure-kind.ts'
import { OP_KIND_NAMES } from '../../sim/operation.ts'
import type { Tags } from './op-values.ts'

export type { Tags } from './op-values.ts'

/**
 * Beyond half the calibrating read's round trip: the script reads k6's clock before http.request
 * builds and writes the request and after it has read the answer, with goroutine scheduling on
 * either side, and the server's nowMs and asOfMs are whole ms. On a loaded 2-core machine reads
 * claimed times up to 3 ms past what half the round trip allows (issue 19): 5 ms covers that.
 * The ingester allows it on asOfMs; the script allows it (twice) before it stops probing.
 */
export const CLOCK_SLACK_EXTRA_MS = 5

export const METRIC = {
  op: 'likestorm_op',
  admin: 'likestorm_admin',
  purge: 'likestorm_purge',
  final: 'likestorm_final',
} as const

export const LIKESTORM_METRICS: readonly string[] = [METRIC.op, METRIC.admin, METRIC.purge, METRIC.final]

export const Phase = {
  Run: 'run',
  Final: 'final',
  Clock: 'clock',
  Fault: 'fault',
  Sample: 'sample',
  Probe: 'probe',
  Counters: 'counters',
  Purge: 'purge',
} as const
export type Phase = (typeof Phase)[keyof typeof Phase]

/** What every LikeStorm point carries: the export it belongs to and the k6 execution segment that sent it. */
export interface PointBase {
  readonly exportId: string
  /** exec.test.options.executionSegment, '0:1' when the instance runs the whole test. */
  readonly seg: string
}

/** How a request ended, as the script saw it. */
export interface Answer {
  /** ms since the run's start when the request was sent. */
  readonly sentMs: number
  /** HTTP status, 0 when no answer came. */
  readonly status: number
  /** k6's error_code when no answer came (0 otherwise). */
  readonly k6err: number
  /** The `code` of a LikeStorm error body ('' when none). */
  readonly code: string
}

function answerTags(answer: Answer): Tags {
  return { t: String(answer.sentMs), status: String(answer.status), k6err: String(answer.k6err), code: answer.code }
}

export interface OpAttempt extends PointBase {
  readonly kind: number
  /** The logical operation (its idempotency key's id); a network duplicate shares its original's. */
  readonly opId: number
  /** This request's own id in the world's stream (a network duplicate has its own). */
  readonly req: number
  /** The Idempotency-Key header ('' for reads). */
  readonly key: string
  readonly session: number
  readonly userId: string
  readonly videoId: string
  readonly region: string
  readonly device: number
  /** 1 for the first attempt, +1 per retry (a failover to another region keeps the number). */
  readonly attempt: number
  /** 0, then +1 per region tried after a refused connection within the attempt. */
  readonly hop: number
  /** Sent to another region than the user's home and the pinned route. */
  readonly failover: boolean
  /** When the world meant it to be sent (ms since the run's start). */
  readonly dueMs: number
}

/**
 * The fields that are k6 tags: each takes few values (a handful of phases, kinds, regions, status
 * codes, error codes, attempts, faults), so their combinations stay a few hundred time series.
 * Everything else a point carries is metadata.
 */
export const TAG_FIELDS: ReadonlySet<string> = new Set(['phase', 'op', 'region', 'attempt', 'status', 'k6err', 'code', 'failure', 'failover', 'export', 'seg', 'action', 'fault', 'what'])

/** A point's fields as k6 takes them: tags (bounded cardinality) and metadata (ids, times, values). */
export function splitPoint(fields: Tags): { tags: Tags; metadata: Tags } {
  const tags: Tags = {}
  const metadata: Tags = {}
  for (const key of Object.keys(fields)) {
    if (TAG_FIELDS.has(key)) tags[key] = fields[key] as string
    else metadata[key] = fields[key] as string
  }
  return { tags, metadata }
}

/** A request's fields on k6's own metrics (http_req_duration{op:like}, …): op, region and attempt as tags, the ids as metadata once split. */
export function opRequestTags(a: OpAttempt): Tags {
  return {
    phase: Phase.Run,
    op: OP_KIND_NAMES[a.kind] ?? String(a.kind),
    opId: String(a.opId),
    req: String(a.req),
    key: a.key,
    user: a.userId,
    video: a.videoId,
    region: a.region,
    attempt: String(a.attempt),
  }
}

/** The likestorm_op point of an attempt: everything the history needs. */
/** An answer as the script classified it where it arrived: its kind's name ('none' for a usable success) and the code to record. */
export interface PointFailure {
  readonly kind: FailureKindName
  readonly code: string
}

/** An attempt's point: the request, its answer, how the script classified it, and the values it returned. */
export function opPointTags(a: OpAttempt, answer: Answer, failure: PointFailure, values: Tags | undefined): Tags {
  const tags: Tags = {
    ...opRequestTags(a),
    export: a.exportId,
    seg: a.seg,
    session: String(a.session),
    device: String(a.device),
    hop: String(a.hop),
    failover: a.failover ? '1' : '0',
    due: String(a.dueMs),
    ...answerTags(answer),
    code: failure.code,
    failure: failure.kind,
  }
  if (values !== undefined) for (const key of Object.keys(values)) tags[key] = values[key] as string
  return tags
}

export type AdminPhase = typeof Phase.Clock | typeof Phase.Fault | typeof Phase.Sample | typeof Phase.Probe | typeof Phase.Counters

export interface AdminCall extends PointBase {
  readonly phase: AdminPhase
  /** start | stop | purge for fault switches, state for state reads. */
  readonly action: string
  /** Index of the fault in the scenario's timeline, -1 for state reads. */
  readonly fault: number
  /** The region whose listener answered ('' when none did). */
  readonly region: string
}

/** What a state read of the admin API said, as tags (server times). */
export interface StateTags {
  readonly now: string
  /** Watermark per region, in the export's region order, comma-separated. */
  readonly marks: string
  readonly digests: string
  /** The core's counters, `name=value;…`. */
  readonly counters: string
}

export function adminPointTags(call: AdminCall, answer: Answer, extra: Tags): Tags {
  return { phase: call.phase, export: call.exportId, seg: call.seg, action: call.action, fault: String(call.fault), region: call.region, ...answerTags(answer), ...extra }
}

export interface PurgeItem extends PointBase {
  readonly fault: number
  readonly what: 'account' | 'like' | 'view'
  readonly userId: string
  /** For a removed like or removed views. */
  readonly videoId: string
  /** For removed views: how many. */
  readonly views?: string
  /** For an account: the system's reasons, as a JSON array. */
  readonly reasons: string
}

export function purgePointTags(item: PurgeItem): Tags {
  const views = item.views === undefined ? {} : { views: item.views }
  return { phase: Phase.Purge, export: item.exportId, seg: item.seg, fault: String(item.fault), what: item.what, user: item.userId, video: item.videoId, reasons: item.reasons, ...views }
}

export type FinalWhat = 'video' | 'likes' | 'inbox'

export interface FinalRead extends PointBase {
  readonly what: FinalWhat
  readonly region: string
  /** The video (what=video) or user (likes, inbox) read. */
  readonly id: string
  /** Page of a liked list (0 for the others). */
  readonly page: number
  readonly attempt: number
}

export function finalPointTags(read: FinalRead, answer: Answer, extra: Tags): Tags {
  return {
    phase: Phase.Final,
    export: read.exportId,
    seg: read.seg,
    what: read.what,
    region: read.region,
    id: read.id,
    page: String(read.page),
    attempt: String(read.attempt),
    ...answerTags(answer),
    ...extra,
  }
}

/** A LikeStorm error body's code, or '' (only codes that look like ours are kept: they key the history). */
export function errorCodeOf(body: unknown): string {
  const code = typeof body === 'object' && body !== null ? (body as { code?: unknown }).code : undefined
  return typeof code === 'string' && /^LS_[A-Z0-9_]{1,60}$/.test(code) ? code : ''
}
