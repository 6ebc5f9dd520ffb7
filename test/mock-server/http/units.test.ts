// The HTTP layer's small parts, without a server: the concurrency limit, the modelled wait, the
// clock, the error catalogue (every code documented in docs/mock-server.md) and the metrics exposition.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CORE_ERROR_CODES } from '../../../mock-server/core/errors.ts'
import { ManualClock, MonotonicClock } from '../../../mock-server/http/clock.ts'
import { ConcurrencyLimit } from '../../../mock-server/http/concurrency-limit.ts'
import { classifyError } from '../../../mock-server/http/error-handler.ts'
import { ERROR_CODES, ERRORS, errorBody, HTTP_ERRORS, HttpError, retryAfterS } from '../../../mock-server/http/errors.ts'
import { ServerMetrics } from '../../../mock-server/http/metrics.ts'
import { modelledWaitMs, WAIT_THRESHOLD_MS } from '../../../mock-server/http/modelled-wait.ts'

describe('ConcurrencyLimit', () => {
  it('grants up to inFlightMax, queues up to queueMax in FIFO order, sheds beyond', () => {
    const limit = new ConcurrencyLimit({ inFlightMax: 2, queueMax: 2 })
    expect([limit.tryAcquire(), limit.tryAcquire(), limit.tryAcquire()]).toEqual([true, true, false])
    const granted: string[] = []
    const a = limit.enqueue(() => granted.push('a'))
    const b = limit.enqueue(() => granted.push('b'))
    expect(limit.enqueue(() => granted.push('c'))).toBeUndefined()
    expect([limit.inFlight, limit.queued]).toEqual([2, 2])
    limit.release()
    expect(granted).toEqual(['a'])
    expect([limit.inFlight, limit.queued, a?.state]).toEqual([2, 1, 'granted'])
    limit.cancel(b as NonNullable<typeof b>)
    limit.release()
    expect(granted).toEqual(['a'])
    expect([limit.inFlight, limit.queued]).toEqual([1, 0])
    limit.release()
    expect(limit.inFlight).toBe(0)
  })

  it('refuses nonsense limits', () => {
    expect(() => new ConcurrencyLimit({ inFlightMax: 0, queueMax: 1 })).toThrow(/inFlightMax >= 1/)
  })
})

describe('modelled wait', () => {
  const model = { queueMs: 30, cacheMs: 80, cacheTimeoutMs: 50 }
  it('count reads wait on the queue and on the cache up to its timeout', () => {
    expect(modelledWaitMs('count-read', { ...model, countsThroughCache: false })).toBe(80)
  })
  it('writes wait on the cache only when the strategy counts through it (naive)', () => {
    expect(modelledWaitMs('write', { ...model, countsThroughCache: false })).toBe(30)
    expect(modelledWaitMs('write', { ...model, countsThroughCache: true })).toBe(80)
  })
  it('other reads wait on the queue only', () => {
    expect(modelledWaitMs('read', { ...model, countsThroughCache: true })).toBe(30)
  })
  it('below the threshold nothing is enacted', () => {
    expect(WAIT_THRESHOLD_MS).toBeGreaterThan(0)
    expect(WAIT_THRESHOLD_MS).toBeLessThanOrEqual(5)
  })
})

describe('clocks', () => {
  it('the monotonic clock never goes back and restarts at 0', async () => {
    const clock = new MonotonicClock()
    const a = clock.nowMs()
    await new Promise((resolve) => setTimeout(resolve, 5))
    const b = clock.nowMs()
    expect(b).toBeGreaterThan(a)
    clock.restart()
    expect(clock.nowMs()).toBeLessThan(b)
  })
  it('the manual clock moves only when told', () => {
    const clock = new ManualClock(10)
    clock.advance(5)
    clock.advance(-3)
    expect(clock.nowMs()).toBe(15)
  })
})

describe('the error catalogue', () => {
  it('has both catalogues, every code with an error status and a message', () => {
    expect(ERROR_CODES).toEqual(expect.arrayContaining([...Object.keys(HTTP_ERRORS), ...CORE_ERROR_CODES]))
    for (const code of ERROR_CODES) {
      expect(code).toMatch(/^LS_(HTTP|CORE)_[A-Z_]+$/)
      expect(ERRORS[code].status).toBeGreaterThanOrEqual(400)
      expect(ERRORS[code].message.length).toBeGreaterThan(10)
    }
  })

  it('every code is documented in docs/mock-server.md with its status', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'mock-server.md'), 'utf8')
    const undocumented = ERROR_CODES.filter((code) => !new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${ERRORS[code].status}\\s*\\|`).test(readme))
    expect(undocumented).toEqual([])
  })

  it('builds bodies and Retry-After values', () => {
    expect(errorBody('LS_HTTP_NOT_FOUND')).toEqual({ code: 'LS_HTTP_NOT_FOUND', message: HTTP_ERRORS.LS_HTTP_NOT_FOUND.message })
    expect(errorBody('LS_HTTP_NOT_FOUND', 'GET /x').message).toBe(`${HTTP_ERRORS.LS_HTTP_NOT_FOUND.message}: GET /x`)
    expect([retryAfterS(0), retryAfterS(1000), retryAfterS(1001), retryAfterS(2500)]).toEqual([1, 1, 2, 3])
    expect(new HttpError('LS_HTTP_OVERLOADED', undefined, { retryAfterS: 4 })).toMatchObject({ statusCode: 503, retryAfterS: 4 })
  })

  it('maps unknown client errors to LS_HTTP_BAD_REQUEST and anything else to LS_HTTP_INTERNAL', () => {
    expect(classifyError(Object.assign(new Error('teapot'), { statusCode: 418 }), undefined)).toMatchObject({ code: 'LS_HTTP_BAD_REQUEST' })
    expect(classifyError(new TypeError('undefined is not a function'), undefined)).toEqual({ code: 'LS_HTTP_INTERNAL' })
  })
})

describe('metrics', () => {
  it('renders the per-request series as a Prometheus counter and histogram', async () => {
    const metrics = new ServerMetrics()
    const record = metrics.recorder('/v1/videos/:videoId', 'us-east')
    record(200, 0.5)
    record(200, 30)
    record(503, 20_000)
    metrics.countShed('us-east', 'capacity')
    const text = await metrics.render({ state: { nowMs: 0, strategy: 'robust', regions: [], faults: [], counters: { requests: 3 } as never }, listeners: [] })
    expect(text).toContain('# TYPE likestorm_http_requests_total counter')
    expect(text).toContain('likestorm_http_requests_total{route="/v1/videos/:videoId",region="us-east",status="200"} 2')
    expect(text).toContain('likestorm_http_request_duration_seconds_bucket{route="/v1/videos/:videoId",region="us-east",status="200",le="0.001"} 1')
    expect(text).toContain('likestorm_http_request_duration_seconds_bucket{route="/v1/videos/:videoId",region="us-east",status="200",le="0.05"} 2')
    expect(text).toContain('likestorm_http_request_duration_seconds_bucket{route="/v1/videos/:videoId",region="us-east",status="503",le="10"} 0')
    expect(text).toContain('likestorm_http_request_duration_seconds_count{route="/v1/videos/:videoId",region="us-east",status="503"} 1')
    expect(text).toContain('likestorm_http_shed_requests_total{region="us-east",reason="capacity"} 1')
    expect(text).toContain('likestorm_core_events{event="requests"} 3')
  })
})
