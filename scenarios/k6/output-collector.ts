// The LikeStorm points of k6 JSON outputs (one file, or one per k6 instance), gathered into compact
// records with world indices: request attempts as rows (a run has millions: attempt-rows.ts keeps
// them in chunks, in the store the ingester gives or in memory), admin calls, purge reports, final
// reads. Only what the output says is taken; a malformed point, a point of another export, an id
// the world does not know, or the same request twice is an error naming file:line. The ingester
// streams lines in (I/O is its own) and builds the history from what is gathered.
import { FAILURE_KIND_NAMES, FailureKind, type FailureKindName } from '../../sim/failure-kind.ts'
import type { Population } from '../../sim/population.ts'
import { OP_KIND_NAMES } from '../../sim/operation.ts'
import { idIndexFor, type IdIndex } from '../run/sim-faults.ts'
import { k6Error } from './errors.ts'
import type { K6Line } from './k6-json.ts'
import { parseValueTags } from './op-values.ts'
import { LIKESTORM_METRICS, METRIC, Phase, type Tags } from './points.ts'
import { AttemptRows } from './attempt-rows.ts'
import type { ChunkStore } from '../../sim/history-chunks.ts'

export type { AttemptColumn } from './attempt-rows.ts'

/** Bound on the attempts one ingest holds (16 bytes each in memory to order them by; the rest spills with a store). */
export const ATTEMPTS_MAX = 20_000_000

export interface AdminRecord {
  readonly phase: string
  readonly action: string
  readonly fault: number
  readonly sentMs: number
  readonly elapsedMs: number
  readonly status: number
  readonly code: string
  readonly tags: Tags
  readonly where: string
}

export interface PurgeItems {
  readonly accounts: Array<{ readonly user: number; readonly reasons: readonly string[] }>
  readonly likes: Array<{ readonly user: number; readonly video: number }>
  /** Removed views (the report's removedViews; its presence is the admin point's `views` tag). */
  readonly views: Array<{ readonly user: number; readonly video: number; readonly views: number }>
  unknownIds: number
}

export interface FinalVideoRead {
  readonly likeCount: number
  readonly viewCount: number
  readonly uniqueViewers: number
  readonly doneMs: number
}

export interface FinalListRead {
  readonly videos: number[]
  complete: boolean
}

export interface FinalInboxRead {
  readonly entries: Array<{ readonly fromUser: number; readonly video: number; readonly likedAtMs: number; readonly deliveredAtMs: number }>
  readonly limit: number
}

export interface CollectorContext {
  readonly exportId: string
  readonly population: Population
  /** Where full chunks of attempts go (the ingester's spill file); without one they stay in memory. */
  readonly store?: ChunkStore
}

export class OutputCollector {
  readonly attempts: AttemptRows
  readonly admin: AdminRecord[] = []
  /** Purge reports by fault index. */
  readonly purges = new Map<number, PurgeItems>()
  /** Acceptable final reads: videos by `${region}/${video}`, lists by `${region}/${user}`, inboxes by creator. */
  readonly finalVideos = new Map<string, FinalVideoRead>()
  readonly finalLists = new Map<string, FinalListRead>()
  readonly finalInboxes = new Map<number, FinalInboxRead>()
  /** Final reads seen (any outcome), and when the last one ended, per region. */
  finalReads = 0
  readonly finalDoneMs = new Map<string, number>()
  readonly sessions = new Set<number>()
  readonly segments = new Set<string>()
  /** Error codes by index (column `code`). */
  readonly codes: string[] = ['']
  /** Per file: peak VUs per second (k6's `vus` gauge). */
  readonly vusPerFile: Array<Map<number, number>> = []
  /** LikeStorm points per file. */
  readonly pointsPerFile: number[] = []
  private readonly codeIndex = new Map<string, number>([['', 0]])
  /** The files' paths, by the index an attempt's `file` column holds. */
  private readonly paths: string[] = []
  private readonly seenFinal = new Set<string>()
  private readonly ids: IdIndex
  private readonly regions: readonly string[]
  private file = -1

  constructor(private readonly context: CollectorContext) {
    this.attempts = new AttemptRows({ store: context.store })
    this.ids = idIndexFor(context.population)
    this.regions = context.population.regionIds
  }

  /** Lines that follow come from the next file, `path`. */
  startFile(path: string): void {
    this.file++
    this.paths.push(path)
    this.vusPerFile.push(new Map())
    this.pointsPerFile.push(0)
  }

  /**
   * After the last line: the same request attempt twice is an error naming the second's place
   * (found here, from the attempts' keys, rather than by a set of every key seen while reading).
   */
  finish(): void {
    const twice = this.attempts.duplicate()
    if (twice === undefined) return
    const at = (column: 'req' | 'attempt' | 'hop' | 'line' | 'file'): number => this.attempts.get(column, twice.second)
    throw bad(`${this.paths[at('file')] ?? '?'}:${at('line')}`, `request ${at('req')} attempt ${at('attempt')} (hop ${at('hop')}) appears twice: was one output file given twice?`)
  }

  add(line: K6Line, where: string, epochMs: () => number, lineNumber = 0): void {
    if (line.kind === 'metric') return
    if (line.metric === 'vus') {
      const second = Math.floor(epochMs() / 1000)
      const perSecond = this.vusPerFile[this.file] as Map<number, number>
      perSecond.set(second, Math.max(perSecond.get(second) ?? 0, line.value))
      return
    }
    if (!LIKESTORM_METRICS.includes(line.metric)) return
    const tags = line.tags
    for (const key of Object.keys(tags)) {
      if (typeof tags[key] !== 'string') throw bad(where, `tag ${key} is not a string`)
    }
    const exportId = tags['export']
    if (exportId !== this.context.exportId) {
      throw k6Error('LS_K6_EXPORT_MISMATCH', `${where}: the point belongs to export ${JSON.stringify(exportId)}, but --export names export ${this.context.exportId}; pass the folder the script was exported to`)
    }
    this.segments.add(text(tags, 'seg', where))
    this.pointsPerFile[this.file] = (this.pointsPerFile[this.file] ?? 0) + 1
    switch (line.metric) {
      case METRIC.op:
        this.addAttempt(tags, line.value, where, lineNumber)
        return
      case METRIC.admin:
        this.admin.push({
          phase: text(tags, 'phase', where),
          action: text(tags, 'action', where),
          fault: int(tags, 'fault', where),
          sentMs: num(tags, 't', where),
          elapsedMs: line.value,
          status: int(tags, 'status', where),
          code: tags['code'] ?? '',
          tags,
          where,
        })
        return
      case METRIC.purge:
        this.addPurge(tags, where)
        return
      default:
        this.addFinal(tags, line.value, where)
    }
  }

  private addAttempt(tags: Tags, elapsedMs: number, where: string, lineNumber: number): void {
    if (tags['phase'] !== Phase.Run) throw bad(where, `phase must be ${Phase.Run}`)
    const kind = OP_KIND_NAMES.indexOf(text(tags, 'op', where) as (typeof OP_KIND_NAMES)[number])
    if (kind < 0) throw bad(where, `unknown op ${JSON.stringify(tags['op'])}; known: ${OP_KIND_NAMES.join(', ')}`)
    const req = int(tags, 'req', where)
    const attempt = int(tags, 'attempt', where)
    const hop = int(tags, 'hop', where)
    if (attempt < 1 || attempt > 255 || hop < 0 || hop > 255) throw bad(where, 'attempt must be 1-255 and hop 0-255')
    if (this.attempts.length >= ATTEMPTS_MAX) throw k6Error('LS_K6_BAD_OUTPUT', `${where}: more than ${ATTEMPTS_MAX.toLocaleString('en-US')} request attempts; ingest holds at most that many (export a smaller --scale)`)
    const status = int(tags, 'status', where)
    const session = int(tags, 'session', where)
    this.sessions.add(session)
    // The script classified the answer where it arrived; ingest reads the kind, never the status.
    const failure = FAILURE_KIND_NAMES.indexOf(text(tags, 'failure', where) as FailureKindName)
    if (failure < 0) throw bad(where, `unknown failure ${JSON.stringify(tags['failure'])}; known: ${FAILURE_KIND_NAMES.join(', ')} (was the script exported by an older LikeStorm?)`)
    const values = failure === FailureKind.None ? parseValueTags(kind, tags, 0) : undefined
    this.attempts.push({
      kind,
      opId: int(tags, 'opId', where),
      req,
      user: this.user(text(tags, 'user', where), where),
      video: this.video(text(tags, 'video', where), where),
      region: this.region(text(tags, 'region', where), where),
      device: int(tags, 'device', where),
      attempt,
      hop,
      failover: tags['failover'] === '1' ? 1 : 0,
      dueMs: num(tags, 'due', where),
      sentMs: num(tags, 't', where),
      elapsedMs,
      status,
      k6err: int(tags, 'k6err', where),
      code: this.code(tags['code'] ?? ''),
      failure,
      session,
      likeCount: values?.likeCount ?? -1,
      viewCount: values?.viewCount ?? -1,
      uniqueViewers: values?.uniqueViewers ?? -1,
      liked: values?.liked ?? -1,
      stale: values?.stale === true ? 1 : 0,
      asOfMs: values?.asOfMs ?? Number.NaN,
      valuesOk: values === undefined ? 0 : 1,
      file: this.file,
      line: lineNumber,
    })
  }

  private addPurge(tags: Tags, where: string): void {
    const fault = int(tags, 'fault', where)
    let items = this.purges.get(fault)
    if (items === undefined) {
      items = { accounts: [], likes: [], views: [], unknownIds: 0 }
      this.purges.set(fault, items)
    }
    const user = this.ids.user(text(tags, 'user', where))
    if (tags['what'] === 'account') {
      let reasons: unknown
      try {
        reasons = JSON.parse(tags['reasons'] ?? '[]')
      } catch {
        throw bad(where, 'reasons is not a JSON list')
      }
      if (!Array.isArray(reasons) || !reasons.every((r) => typeof r === 'string')) throw bad(where, 'reasons is not a list of strings')
      // The system may name an account the world does not know: counted, as mode sim counts it.
      if (user < 0) items.unknownIds++
      else items.accounts.push({ user, reasons })
      return
    }
    if (tags['what'] !== 'like' && tags['what'] !== 'view') throw bad(where, 'what must be account, like or view')
    const video = this.ids.video(text(tags, 'video', where))
    if (tags['what'] === 'view') {
      const views = Number(tags['views'])
      // A target's malformed entry is counted with the unknown ids, as mode sim counts it.
      if (user < 0 || video < 0 || !(Number.isSafeInteger(views) && views >= 1)) items.unknownIds++
      else items.views.push({ user, video, views })
      return
    }
    if (user < 0 || video < 0) items.unknownIds++
    else items.likes.push({ user, video })
  }

  private addFinal(tags: Tags, elapsedMs: number, where: string): void {
    if (tags['phase'] !== Phase.Final) throw bad(where, `phase must be ${Phase.Final}`)
    const what = text(tags, 'what', where)
    const region = text(tags, 'region', where)
    this.region(region, where)
    const id = text(tags, 'id', where)
    const page = int(tags, 'page', where)
    const attempt = int(tags, 'attempt', where)
    const key = `${what}/${region}/${id}/${page}/${attempt}`
    if (this.seenFinal.has(key)) throw bad(where, `final read ${key} appears twice: was one output file given twice?`)
    this.seenFinal.add(key)
    const doneMs = num(tags, 't', where) + elapsedMs
    this.finalReads++
    this.finalDoneMs.set(region, Math.max(this.finalDoneMs.get(region) ?? 0, doneMs))
    if (int(tags, 'status', where) !== 200) return
    switch (what) {
      case 'video': {
        const video = this.video(id, where)
        if (tags['stale'] !== 'false') return
        this.finalVideos.set(`${region}/${video}`, { likeCount: num(tags, 'likeCount', where), viewCount: num(tags, 'viewCount', where), uniqueViewers: num(tags, 'uniqueViewers', where), doneMs })
        return
      }
      case 'likes': {
        const user = this.user(id, where)
        const listKey = `${region}/${user}`
        let list = this.finalLists.get(listKey)
        if (list === undefined) {
          list = { videos: [], complete: false }
          this.finalLists.set(listKey, list)
        }
        const videos = text(tags, 'videos', where)
        // Ids the world does not know are not the world's likes (as mode sim reads a list).
        for (const videoId of videos === '' ? [] : videos.split(',')) {
          const video = this.ids.video(videoId)
          if (video >= 0) list.videos.push(video)
        }
        if ((tags['next'] ?? '') === '') list.complete = true
        return
      }
      case 'inbox': {
        const creator = this.user(id, where)
        const notes = text(tags, 'notes', where)
        const entries = (notes === '' ? [] : notes.split(',')).map((note) => {
          const [videoId, fromUserId, likedAtMs, deliveredAtMs] = note.split('|')
          return { fromUser: this.ids.user(fromUserId ?? ''), video: this.ids.video(videoId ?? ''), likedAtMs: Number(likedAtMs), deliveredAtMs: Number(deliveredAtMs) }
        })
        this.finalInboxes.set(creator, { entries, limit: int(tags, 'limit', where) })
        return
      }
      default:
        throw bad(where, `what must be video, likes or inbox, got ${JSON.stringify(what)}`)
    }
  }

  private user(id: string, where: string): number {
    const user = this.ids.user(id)
    if (user < 0) throw mismatch(where, `user ${JSON.stringify(id)}`)
    return user
  }

  private video(id: string, where: string): number {
    const video = this.ids.video(id)
    if (video < 0) throw mismatch(where, `video ${JSON.stringify(id)}`)
    return video
  }

  private region(id: string, where: string): number {
    const region = this.regions.indexOf(id)
    if (region < 0) throw mismatch(where, `region ${JSON.stringify(id)}`)
    return region
  }

  private code(code: string): number {
    let index = this.codeIndex.get(code)
    if (index === undefined) {
      index = this.codes.length
      this.codes.push(code)
      this.codeIndex.set(code, index)
    }
    return index
  }
}

function bad(where: string, why: string): Error {
  return k6Error('LS_K6_BAD_OUTPUT', `${where}: malformed LikeStorm point: ${why}`)
}

function mismatch(where: string, what: string): Error {
  return k6Error('LS_K6_EXPORT_MISMATCH', `${where}: ${what} is not in this export's world; the output comes from another scenario, seed or scale than --export`)
}

function text(tags: Tags, key: string, where: string): string {
  const value = tags[key]
  if (value === undefined) throw bad(where, `no ${key} tag`)
  return value
}

function num(tags: Tags, key: string, where: string): number {
  const value = Number(text(tags, key, where))
  if (!Number.isFinite(value) || text(tags, key, where).trim() === '') throw bad(where, `tag ${key} is not a number: ${JSON.stringify(tags[key])}`)
  return value
}

function int(tags: Tags, key: string, where: string): number {
  const value = num(tags, key, where)
  if (!Number.isInteger(value)) throw bad(where, `tag ${key} is not a whole number: ${JSON.stringify(tags[key])}`)
  return value
}
