// The target's admin API (/admin/v1, bearer token): faults, purges, takedowns, state. Any region
// serves it, so a call goes to the first region that answers. A target without the admin API
// (401/403/404, or nothing answering) is reported, and the driver skips what it needed it for.
import { request } from 'undici'
import type { PurgeReport } from '../../../mock-server/core/types.ts'

export interface AdminRegionState {
  readonly region: string
  readonly up: boolean
  readonly watermarkMs: number
  readonly countsDigest: string
  /** The wait a request meets at the region's front door and at its counter cache, the target's ms (the mock server says; another target may not). */
  readonly queueDelayMs?: number
  readonly cacheDelayMs?: number
}

export interface AdminState {
  readonly nowMs: number
  readonly regions: readonly AdminRegionState[]
  readonly counters: Readonly<Record<string, number>>
  /** The world it serves (the LikeStorm mock server says; another target may not). */
  readonly world?: { readonly seed: number; readonly scenario: string; readonly scale: number }
}

export type AdminAnswer<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string }

const ADMIN_TIMEOUT_MS = 30_000

export class AdminClient {
  private readonly urls: readonly string[]
  private readonly token: string

  constructor({ urls, token }: { urls: readonly string[]; token: string }) {
    this.urls = urls
    this.token = token
  }

  state(): Promise<AdminAnswer<AdminState>> {
    return this.call<AdminState>('GET', '/admin/v1/state', undefined)
  }

  fault(body: Record<string, unknown>): Promise<AdminAnswer<unknown>> {
    return this.call('POST', '/admin/v1/faults', body)
  }

  botPurge(): Promise<AdminAnswer<PurgeReport>> {
    return this.call<PurgeReport>('POST', '/admin/v1/purges/bot', {})
  }

  inactivePurge(idleDays: number): Promise<AdminAnswer<PurgeReport>> {
    return this.call<PurgeReport>('POST', '/admin/v1/purges/inactive', { idleDays })
  }

  reset(body: { seed: number; scenario?: string; scale?: number; strategy?: string }): Promise<AdminAnswer<unknown>> {
    return this.call('POST', '/admin/v1/reset', body)
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body: unknown): Promise<AdminAnswer<T>> {
    let lastReason = 'no region answered'
    for (const url of this.urls) {
      try {
        const response = await request(`${url}${path}`, {
          method,
          headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          headersTimeout: ADMIN_TIMEOUT_MS,
          bodyTimeout: ADMIN_TIMEOUT_MS,
        })
        const text = await response.body.text()
        if (response.statusCode >= 200 && response.statusCode < 300) return { ok: true, value: JSON.parse(text) as T }
        lastReason = `${method} ${path} answered ${response.statusCode}${text === '' ? '' : `: ${text.slice(0, 200)}`}`
        // The admin API exists but refused: asking another region will not help.
        if (response.statusCode !== 503) return { ok: false, reason: lastReason }
      } catch (error) {
        lastReason = `${method} ${url}${path}: ${(error as Error).message}`
      }
    }
    return { ok: false, reason: lastReason }
  }
}
