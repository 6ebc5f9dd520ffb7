// What makes an answer of a system well formed (systems/system.ts): the rules the guard around a
// user's module holds every reply, page, inbox and observation to (guard.ts). Each function
// returns what is wrong in a few words, or undefined. Values are not judged here — a count that is
// wrong but a count is the checkers' business — only whether an answer is an answer at all: a
// latency that is a finite number of ms, a success without an error code, a failure with a
// catalogue code, counts that are whole numbers, flags that are booleans, ids the directory has.
import type { InboxItem, RegionObservation, SystemErrorCode, SystemReply } from './system.ts'

/** The request handlers whose reply is checked. */
export type RequestCall = 'like' | 'unlike' | 'view' | 'readCounts' | 'readLike' | 'likedPage' | 'notifications'

/** The codes a system may answer with (the compiler keeps this record and SystemErrorCode in step). */
const SYSTEM_ERROR_CODES: Readonly<Record<SystemErrorCode, true>> = {
  LS_CORE_OVERLOADED: true,
  LS_CORE_RATE_LIMITED: true,
  LS_CORE_COUNT_UNAVAILABLE: true,
  LS_CORE_UNKNOWN_USER: true,
  LS_CORE_UNKNOWN_VIDEO: true,
  LS_CORE_ACCOUNT_DELETED: true,
  LS_CORE_VIDEO_UNAVAILABLE: true,
  LS_CORE_IDEMPOTENCY_MISMATCH: true,
  LS_CORE_IDEMPOTENCY_STORE_FULL: true,
  LS_CORE_BAD_WATCH_MS: true,
}

/** Items of a page or an inbox looked at: a bound on the guard's own work per call. */
const ITEMS_CHECKED_MAX = 10_000

export function replyProblem(call: RequestCall, reply: SystemReply): string | undefined {
  const latencyMs = reply.latencyMs
  if (typeof latencyMs !== 'number' || !(latencyMs >= 0 && latencyMs < Infinity)) {
    const hint = Number.isNaN(latencyMs) ? ' (no answer written: call reply.succeed or reply.fail)' : ''
    return `latencyMs ${show(latencyMs)}: must be a finite number of ms >= 0${hint}`
  }
  if (typeof reply.ok !== 'boolean') return `ok ${show(reply.ok)}: must be a boolean`
  if (!reply.ok) return failureProblem(reply)
  if (reply.code !== '') return `ok with error code ${show(reply.code)}`
  if (typeof reply.replayed !== 'boolean') return `replayed ${show(reply.replayed)}: must be a boolean`
  return valuesProblem(call, reply)
}

function failureProblem(reply: SystemReply): string | undefined {
  if (!(typeof reply.code === 'string' && Object.hasOwn(SYSTEM_ERROR_CODES, reply.code))) return `failed with code ${show(reply.code)}: not one of ${Object.keys(SYSTEM_ERROR_CODES).join(', ')}`
  const retryAfterMs = reply.retryAfterMs
  if (!(Number.isNaN(retryAfterMs) || (retryAfterMs >= 0 && retryAfterMs < Infinity))) return `retryAfterMs ${show(retryAfterMs)}: must be NaN or a finite number of ms >= 0`
  return undefined
}

function valuesProblem(call: RequestCall, reply: SystemReply): string | undefined {
  switch (call) {
    case 'like':
    case 'unlike':
      return countProblem('likeCount', reply.likeCount, true) ?? flagProblem('liked', reply.liked) ?? flagProblem('changed', reply.changed) ?? claimProblem(reply)
    case 'view':
      return countProblem('viewCount', reply.viewCount, true) ?? countProblem('uniqueViewers', reply.uniqueViewers, true)
    case 'readCounts':
      return countProblem('likeCount', reply.likeCount, false) ?? countProblem('viewCount', reply.viewCount, false) ?? countProblem('uniqueViewers', reply.uniqueViewers, false) ?? claimProblem(reply)
    case 'readLike':
      return flagProblem('liked', reply.liked) ?? claimProblem(reply)
    default:
      return undefined
  }
}

/** A count: a whole number >= 0, or -1 ("not reported") where the operation may leave it out. */
function countProblem(name: string, value: number, mayOmit: boolean): string | undefined {
  if (Number.isSafeInteger(value) && (value >= 0 || (mayOmit && value === -1))) return undefined
  return `${name} ${show(value)}: must be a whole number >= 0${mayOmit ? ' (or -1: not reported)' : ''}`
}

function flagProblem(name: string, value: boolean): string | undefined {
  return typeof value === 'boolean' ? undefined : `${name} ${show(value)}: must be a boolean`
}

/** What a read claims about its age: stale a boolean, asOfMs a finite time or NaN (no claim). */
function claimProblem(reply: SystemReply): string | undefined {
  if (typeof reply.stale !== 'boolean') return `stale ${show(reply.stale)}: must be a boolean`
  const asOfMs = reply.asOfMs
  if (typeof asOfMs === 'number' && (Number.isNaN(asOfMs) || Number.isFinite(asOfMs))) return undefined
  return `asOfMs ${show(asOfMs)}: must be a finite time in ms, or NaN for no claim`
}

/** A liked-list page: video handles the directory has, and whether more follow. */
export function pageProblem(page: unknown, videoCount: number): string | undefined {
  if (typeof page !== 'object' || page === null) return `likedPage returned ${show(page)}: must be { videos, more }`
  const { videos, more } = page as { videos?: unknown; more?: unknown }
  if (typeof more !== 'boolean') return `likedPage's more ${show(more)}: must be a boolean`
  if (!Array.isArray(videos)) return `likedPage's videos ${show(videos)}: must be an array of video handles`
  for (let i = 0; i < Math.min(videos.length, ITEMS_CHECKED_MAX); i++) {
    if (!isHandle(videos[i], videoCount)) return `likedPage's videos[${i}] ${show(videos[i])}: not a video handle (0..${videoCount - 1})`
  }
  return undefined
}

/** An inbox: items about videos and users the directory has, with finite times. */
export function inboxProblem(items: unknown, counts: { readonly userCount: number; readonly videoCount: number }): string | undefined {
  if (!Array.isArray(items)) return `notifications returned ${show(items)}: must be an array of inbox items`
  for (let i = 0; i < Math.min(items.length, ITEMS_CHECKED_MAX); i++) {
    const item = items[i] as Partial<InboxItem> | null
    if (typeof item !== 'object' || item === null) return `notifications[${i}] ${show(item)}: must be { video, fromUser, likedAtMs, deliveredAtMs }`
    if (!isHandle(item.video, counts.videoCount)) return `notifications[${i}].video ${show(item.video)}: not a video handle`
    if (!isHandle(item.fromUser, counts.userCount)) return `notifications[${i}].fromUser ${show(item.fromUser)}: not a user handle`
    if (!Number.isFinite(item.likedAtMs) || !Number.isFinite(item.deliveredAtMs)) return `notifications[${i}]: likedAtMs and deliveredAtMs must be finite times in ms`
  }
  return undefined
}

/** What an observer reads of a region: totals, a digest, a watermark, a backlog. */
export function observationProblem(seen: unknown): string | undefined {
  if (typeof seen !== 'object' || seen === null) return `observe returned ${show(seen)}`
  const o = seen as Partial<RegionObservation>
  for (const name of ['likeTotal', 'viewTotal', 'watermarkMs', 'replicationPending'] as const) {
    if (!Number.isFinite(o[name])) return `observe's ${name} ${show(o[name])}: must be a finite number`
  }
  if (typeof o.countsDigest !== 'string') return `observe's countsDigest ${show(o.countsDigest)}: must be a string`
  if (typeof o.resyncPending !== 'boolean') return `observe's resyncPending ${show(o.resyncPending)}: must be a boolean`
  return undefined
}

/** An entry a purge appended: a pair of the purged user and a known video, with (removed views) a whole number of views >= 1. */
export function isPurgedPair(item: unknown, user: number, videoCount: number, withViews: boolean): boolean {
  if (typeof item !== 'object' || item === null) return false
  const pair = item as { user?: unknown; video?: unknown; views?: unknown }
  return pair.user === user && isHandle(pair.video, videoCount) && (!withViews || (Number.isSafeInteger(pair.views) && (pair.views as number) >= 1))
}

function isHandle(value: unknown, count: number): boolean {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) < count
}

/** A value as a reader should see it in an example (NaN and Infinity as themselves, strings quoted). */
function show(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null) return String(value)
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`
}
