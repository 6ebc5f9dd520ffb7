// What an answer of the target says, read into the history: the values an acknowledged request
// returned (counts, liked flags, their asOfMs on the scenario clock), the error code of a refusal,
// and the regions' replication watermarks from the admin state. Pure: the driver does the I/O.
import type { History } from '../../../sim/history.ts'
import { OpKind } from '../../../sim/operation.ts'
import type { AdminState } from './admin-client.ts'
import type { ServerClock } from './server-clock.ts'

export function watermarks(state: AdminState, regions: readonly string[], serverClock: ServerClock): number[] {
  return regions.map((region) => {
    const found = state.regions.find((r) => r.region === region)
    return found === undefined ? Number.NaN : serverClock.toScenarioMs(found.watermarkMs)
  })
}

export function errorCodeOf(body: unknown): string | undefined {
  const code = (body as { code?: unknown } | undefined)?.code
  return typeof code === 'string' ? code : undefined
}

/**
 * Store what an acknowledged request returned; false when the body is not what the API promises.
 * A target whose capabilities say its answers do not claim their age (staleness "none") is read
 * without asOfMs and stale: each answer is taken as current at its request.
 */
export function recordValues(history: History, index: number, kind: number, body: unknown, serverClock: ServerClock, claimsAge = true): boolean {
  if (typeof body !== 'object' || body === null) return false
  const b = body as Record<string, unknown>
  const num = (key: string): number | undefined => (typeof b[key] === 'number' ? (b[key] as number) : undefined)
  const asOf = claimsAge ? num('asOfMs') : undefined
  const asOfMs = asOf === undefined ? Number.NaN : serverClock.toScenarioMs(asOf)
  switch (kind) {
    case OpKind.ReadVideo: {
      const likeCount = num('likeCount')
      const viewCount = num('viewCount')
      const unique = num('uniqueViewers')
      if (likeCount === undefined || viewCount === undefined || unique === undefined) return false
      if (claimsAge && typeof b['stale'] !== 'boolean') return false
      history.counts(index, { likeCount, viewCount, uniqueViewers: unique, stale: b['stale'] === true, asOfMs })
      return true
    }
    case OpKind.Like:
    case OpKind.Unlike: {
      const likeCount = num('likeCount')
      if (likeCount === undefined) return false
      history.counts(index, { likeCount, viewCount: -1, uniqueViewers: -1, stale: claimsAge && b['stale'] === true, asOfMs })
      return true
    }
    case OpKind.View: {
      const viewCount = num('viewCount')
      const unique = num('uniqueViewers')
      if (viewCount === undefined || unique === undefined) return false
      history.counts(index, { likeCount: -1, viewCount, uniqueViewers: unique, stale: false, asOfMs: Number.NaN })
      return true
    }
    default: {
      if (typeof b['liked'] !== 'boolean') return false
      history.likedFlag(index, { liked: b['liked'], stale: claimsAge && b['stale'] === true, asOfMs })
      return true
    }
  }
}
