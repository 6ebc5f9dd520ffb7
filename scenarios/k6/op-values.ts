// What an acknowledged request returned, as k6 tags (strings) and back. The script turns a 2xx
// body into tags; the ingester turns the tags into the history's values. A 2xx body without what
// the API promises is "possibly applied" (LS_CLIENT_BAD_RESPONSE), in both directions.
// Pure and free of Node APIs: the k6 script bundles it.
import { OpKind } from '../../sim/operation.ts'

export type Tags = Record<string, string>

export interface OpValues {
  readonly likeCount: number
  readonly viewCount: number
  readonly uniqueViewers: number
  /** -1: no liked flag in the answer. */
  readonly liked: number
  readonly stale: boolean
  /** The server's clock (NaN when the answer had none). */
  readonly asOfMs: number
}

function field(body: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(body, key) ? body[key] : undefined
}

/** The tags of a 2xx answer of an operation of `kind`; undefined when the body is not what the API promises. */
export function valueTags(kind: number, body: unknown): Tags | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const b = body as Record<string, unknown>
  const tags: Tags = {}
  const num = (key: string, required: boolean): boolean => {
    const value = field(b, key)
    if (typeof value === 'number' && isFinite(value)) tags[key] = String(value)
    else if (required) return false
    return true
  }
  const bool = (key: string, required: boolean): boolean => {
    const value = field(b, key)
    if (typeof value === 'boolean') tags[key] = value ? 'true' : 'false'
    else if (required) return false
    return true
  }
  let complete: boolean
  switch (kind) {
    case OpKind.ReadVideo:
      complete = num('likeCount', true) && num('viewCount', true) && num('uniqueViewers', true) && bool('stale', true) && num('asOfMs', false)
      break
    case OpKind.Like:
    case OpKind.Unlike:
      complete = num('likeCount', true) && bool('liked', false) && bool('stale', false) && num('asOfMs', false)
      break
    case OpKind.View:
      complete = num('viewCount', true) && num('uniqueViewers', true)
      break
    default:
      complete = bool('liked', true) && bool('stale', false) && num('asOfMs', false)
  }
  return complete ? tags : undefined
}

function tagNumber(tags: Readonly<Tags>, key: string): number | undefined {
  const text = tags[key]
  if (text === undefined || text === '') return undefined
  const value = Number(text)
  return isFinite(value) ? value : undefined
}

function tagBool(tags: Readonly<Tags>, key: string): boolean | undefined {
  const text = tags[key]
  return text === 'true' ? true : text === 'false' ? false : undefined
}

/**
 * The values an acknowledged attempt recorded, as the history keeps them; undefined when the tags
 * lack what the API promises for `kind`. `serverOffsetMs` is the target's clock minus the run's:
 * server times become run times.
 */
export function parseValueTags(kind: number, tags: Readonly<Tags>, serverOffsetMs: number): OpValues | undefined {
  const asOf = tagNumber(tags, 'asOfMs')
  const asOfMs = asOf === undefined ? Number.NaN : asOf - serverOffsetMs
  const stale = tagBool(tags, 'stale') === true
  switch (kind) {
    case OpKind.ReadVideo: {
      const likeCount = tagNumber(tags, 'likeCount')
      const viewCount = tagNumber(tags, 'viewCount')
      const uniqueViewers = tagNumber(tags, 'uniqueViewers')
      if (likeCount === undefined || viewCount === undefined || uniqueViewers === undefined || tagBool(tags, 'stale') === undefined) return undefined
      return { likeCount, viewCount, uniqueViewers, liked: -1, stale, asOfMs }
    }
    case OpKind.Like:
    case OpKind.Unlike: {
      const likeCount = tagNumber(tags, 'likeCount')
      if (likeCount === undefined) return undefined
      return { likeCount, viewCount: -1, uniqueViewers: -1, liked: -1, stale, asOfMs }
    }
    case OpKind.View: {
      const viewCount = tagNumber(tags, 'viewCount')
      const uniqueViewers = tagNumber(tags, 'uniqueViewers')
      if (viewCount === undefined || uniqueViewers === undefined) return undefined
      return { likeCount: -1, viewCount, uniqueViewers, liked: -1, stale: false, asOfMs: Number.NaN }
    }
    default: {
      const liked = tagBool(tags, 'liked')
      if (liked === undefined) return undefined
      return { likeCount: -1, viewCount: -1, uniqueViewers: -1, liked: liked ? 1 : 0, stale, asOfMs }
    }
  }
}
