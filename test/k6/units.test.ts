// The small pure pieces of the k6 export and ingest: k6 error codes, target URLs, execution
// segment coverage, the target's clock offset, k6 JSON lines, the session deal's extra scenario.
import { describe, expect, it } from 'vitest'
import { k6Health } from '../../scenarios/k6/k6-health.ts'
import { CLOCK_SLACK_EXTRA_MS, clockOffset, clockSlack, segmentCoverage, sendDelay } from '../../scenarios/k6/k6-history.ts'
import { parseK6Line } from '../../scenarios/k6/k6-json.ts'
import { networkErrorOf } from '../../scenarios/k6/network-error.ts'
import type { AdminRecord } from '../../scenarios/k6/output-collector.ts'
import { dealSessions, extraScenario, iterationsStartedBy, iterationStartMs, LEAD_MAX_MS, vuBudget } from '../../scenarios/k6/session-deal.ts'
import { regionUrls } from '../../scenarios/k6/target-urls.ts'
import { k6Time, metricLine, pointLine } from './helpers/k6-lines.ts'

describe('k6 error codes', () => {
  it('reads a timeout as possibly applied, dial and DNS errors as refused, resets as sent', () => {
    expect(networkErrorOf(1050)).toEqual({ kind: 'timeout', sent: true })
    for (const code of [1020, 1101, 1210, 1211, 1212, 1213, 1300, 1311]) expect(networkErrorOf(code), String(code)).toEqual({ kind: 'refused', sent: false })
    for (const code of [1000, 1200, 1201, 1202, 1220, 1600]) expect(networkErrorOf(code), String(code)).toEqual({ kind: 'reset', sent: true })
  })
})

describe('target URLs', () => {
  const regions = ['us-east', 'us-west', 'eu-west']
  it('puts the regions on consecutive ports of one origin, or takes one origin per region', () => {
    expect(regionUrls('http://127.0.0.1:8080', regions)).toEqual({ ok: true, urls: { 'us-east': 'http://127.0.0.1:8080', 'us-west': 'http://127.0.0.1:8081', 'eu-west': 'http://127.0.0.1:8082' } })
    expect(regionUrls('https://lb.example/', regions)).toEqual({ ok: true, urls: { 'us-east': 'https://lb.example:443', 'us-west': 'https://lb.example:444', 'eu-west': 'https://lb.example:445' } })
    expect(regionUrls('eu-west=http://[::1]:9000, us-east=http://a:1,us-west=http://b:2', regions)).toEqual({ ok: true, urls: { 'eu-west': 'http://[::1]:9000', 'us-east': 'http://a:1', 'us-west': 'http://b:2' } })
  })

  it('names what is wrong', () => {
    expect(regionUrls('http://a:8080/v1', regions)).toMatchObject({ ok: false, problem: expect.stringMatching(/not an http\(s\) origin without a path/) })
    expect(regionUrls('http://a:65535', regions)).toMatchObject({ ok: false, problem: expect.stringMatching(/past 65535/) })
    expect(regionUrls('us-east=http://a:1', regions)).toMatchObject({ ok: false, problem: expect.stringMatching(/^no URL for us-west, eu-west/) })
  })
})

describe('execution segments', () => {
  it('covers the test only when the segments join from 0 to 1', () => {
    expect(segmentCoverage(new Set(['0:1']))).toBeUndefined()
    expect(segmentCoverage(new Set(['0:1/3', '1/3:2/3', '2/3:1']))).toBeUndefined()
    expect(segmentCoverage(new Set(['50%:100%', '0:0.5']))).toBeUndefined()
    expect(segmentCoverage(new Set(['0:1/3', '2/3:1']))).toMatch(/cover execution segments 0:1\/3, 2\/3:1 only/)
    expect(segmentCoverage(new Set(['a:b']))).toMatch(/does not parse/)
  })
})

describe('the target clock', () => {
  const read = (sentMs: number, elapsedMs: number, now: number): AdminRecord => ({ phase: 'sample', action: 'state', fault: -1, sentMs, elapsedMs, status: 200, code: '', tags: { now: String(now) }, where: 'x:1' })
  it('is measured at the midpoint of the state read with the shortest round trip', () => {
    expect(clockOffset([read(1000, 40, 6050), read(2000, 2, 7001), read(3000, 10, 8020)])).toBe(5000)
    expect(clockOffset([])).toBe(0)
  })

  it('is known to within half that round trip plus a few ms, as mode http allows; not at all without a read', () => {
    expect(clockSlack([read(1000, 40, 6050), read(2000, 2, 7001), read(3000, 10, 8020)])).toBe(1 + CLOCK_SLACK_EXTRA_MS)
    expect(clockSlack([])).toBe(Infinity)
  })
})

describe('k6 JSON lines', () => {
  it('are written as k6 writes them and read back', () => {
    expect(k6Time(Date.UTC(2024, 4, 1, 12, 0, 0) + 1234.5)).toBe('2024-05-01T12:00:01.2345Z')
    expect(k6Time(Date.UTC(2024, 4, 1, 12, 0, 0))).toBe('2024-05-01T12:00:00Z')
    expect(parseK6Line(metricLine('vus', 'gauge', 'default'), 'f:1')).toEqual({ kind: 'metric', metric: 'vus', type: 'gauge' })
    expect(parseK6Line(pointLine('vus', Date.UTC(2024, 4, 1), 3, null), 'f:2')).toEqual({ kind: 'point', metric: 'vus', time: '2024-05-01T00:00:00Z', value: 3, tags: {} })
    expect(parseK6Line('{"type":"Point","data":{"time":"2017-05-09T14:34:45.625742514+02:00","value":52.2,"tags":{"status":"200"}},"metric":"http_req_duration"}', 'f:3')).toMatchObject({ kind: 'point', value: 52.2, tags: { status: '200' } })
    expect(parseK6Line('  ', 'f:4')).toBeUndefined()
    expect(() => parseK6Line('{"type":"Point","data":{"time":"yesterday","value":1},"metric":"m"}', 'f:5')).toThrow(/f:5: not a k6 JSON output line \("data.time" is not an RFC 3339 time\)/)
    expect(() => parseK6Line('[1]', 'f:6')).toThrow(/f:6: .*not an object/)
  })

  it('read a point\'s metadata (k6 >= 0.45) with its tags, as one map', () => {
    const line = '{"type":"Point","data":{"time":"2024-05-01T00:00:00Z","value":3,"tags":{"op":"like","region":"us-east"},"metadata":{"opId":"17","t":"250.5"}},"metric":"likestorm_op"}'
    expect(parseK6Line(line, 'f:1')).toMatchObject({ tags: { op: 'like', region: 'us-east', opId: '17', t: '250.5' } })
    expect(parseK6Line(pointLine('m', Date.UTC(2024, 4, 1), 1, { op: 'view' }, { req: '9' }), 'f:2')).toMatchObject({ tags: { op: 'view', req: '9' } })
    expect(() => parseK6Line('{"type":"Point","data":{"time":"2024-05-01T00:00:00Z","value":1,"metadata":[1]},"metric":"m"}', 'f:3')).toThrow(/f:3: .*"data.metadata" is not an object/)
  })
})

describe('the send delay', () => {
  it('is each first attempt\'s send time less its due time: retries and failovers are not late sends', () => {
    const rows = [
      ...Array.from({ length: 98 }, (_, i) => ({ attempt: 1, hop: 0, dueMs: i * 10, sentMs: i * 10 + 1 })),
      { attempt: 1, hop: 0, dueMs: 5000, sentMs: 5400 },
      { attempt: 1, hop: 0, dueMs: 6000, sentMs: 6900 },
      { attempt: 2, hop: 0, dueMs: 7000, sentMs: 9000 },
      { attempt: 1, hop: 1, dueMs: 7000, sentMs: 9000 },
    ]
    const attempts = { length: rows.length, get: (column: string, i: number): number => (rows[i] as Record<string, number>)[column] as number }
    expect(sendDelay(attempts as never)).toMatchObject({ count: 100, p50Ms: 1, p99Ms: 400, maxMs: 900 })
    expect(sendDelay({ length: 0, get: () => 0 } as never)).toEqual({ count: 0, p50Ms: null, p99Ms: null, maxMs: null, sessions: 0, lateStarts: 0 })
  })

  it('counts the sessions that started late, not the operations a slow answer held back', () => {
    // Session 1 starts on time and its second operation waits 2 s for the first's answer; session 2 starts 300 ms late.
    const rows = [
      { session: 1, attempt: 1, hop: 0, dueMs: 0, sentMs: 1 },
      { session: 1, attempt: 1, hop: 0, dueMs: 100, sentMs: 2100 },
      { session: 2, attempt: 1, hop: 0, dueMs: 500, sentMs: 800 },
      { session: 2, attempt: 1, hop: 0, dueMs: 900, sentMs: 950 },
    ]
    const attempts = { length: rows.length, get: (column: string, i: number): number => (rows[i] as Record<string, number>)[column] as number }
    expect(sendDelay(attempts as never)).toMatchObject({ count: 4, sessions: 2, lateStarts: 1, maxMs: 2000 })
  })
})

describe('whether k6 kept the schedule (mode http\'s rule)', () => {
  const delay = (lateStarts: number) => ({ count: 5000, p50Ms: 1, p99Ms: lateStarts > 10 ? 350 : 20, maxMs: 1500, sessions: 1000, lateStarts })

  it('keeps it with at most 1% of sends late and of sessions unsent', () => {
    expect(k6Health({ delay: delay(10), unsent: 10, sessions: 1000 })).toBeUndefined()
  })

  it('did not, with the cause, when more were late or never sent', () => {
    expect(k6Health({ delay: delay(11), unsent: 0, sessions: 1000 })?.scheduleNotKept).toMatch(/^k6 could not drive the offered load: 1\.1% of sessions started more than 100 ms late \(operations sent 350\.0 ms late at p99, 1500\.0 ms at most\)/)
    expect(k6Health({ delay: delay(0), unsent: 11, sessions: 1000 })?.scheduleNotKept).toMatch(/1\.1% of sessions were never sent/)
  })
})

describe('the VU budget', () => {
  const load = { scenarios: { s: { executor: 'constant-arrival-rate' as const, rate: 10, timeUnit: '1s', duration: '20s', preAllocatedVUs: 1, maxVUs: 1 } } }

  it('counts the iterations in flight: those waiting for their session and those sending it', () => {
    // Session k 50 ms after iteration k, 1 s long: about 10 in flight at once.
    const spans = Array.from({ length: 200 }, (_, k) => ({ startMs: k * 100 + 50, endMs: k * 100 + 1050 }))
    const deal = dealSessions(load, spans)
    expect(deal.iterationOf.slice(0, 5)).toEqual([0, 1, 2, 3, 4])
    expect(vuBudget(load, deal, spans, 0)).toEqual({ s: Math.ceil(11 * 1.25) + 10 })
    // A slow last answer holds the VU longer: a 2 s allowance triples the need.
    expect(vuBudget(load, deal, spans, 2000)['s']).toBe(Math.ceil(31 * 1.25) + 10)
  })

  it('leaves iterations that would wait more than LEAD_MAX_MS empty, so sleeping VUs do not pile up', () => {
    // The executor starts at 0 but the world's sessions begin at 10 s: the first 90 iterations are holes.
    const spans = Array.from({ length: 100 }, (_, k) => ({ startMs: 10_000 + k * 100, endMs: 10_000 + k * 100 + 500 }))
    const deal = dealSessions(load, spans)
    const startOf = iterationStartMs(load, 's')
    expect(deal.iterationOf[0]).toBe(90)
    deal.iterationOf.forEach((k, sid) => {
      expect(startOf(k), `session ${sid}`).toBeLessThanOrEqual((spans[sid] as { startMs: number }).startMs)
      expect(startOf(k), `session ${sid}`).toBeGreaterThanOrEqual((spans[sid] as { startMs: number }).startMs - LEAD_MAX_MS)
    })
    // Without holes all 100 would have waited up to 10 s: over 100 VUs.
    expect(vuBudget(load, deal, spans, 0)['s']).toBeLessThan(30)
  })
})

describe('the extra scenario', () => {
  it('starts, each second, at least the extra sessions of the next one', () => {
    const spans = [0, 10, 20, 1500, 1600, 1700, 1800, 2100, 5000].map((startMs) => ({ startMs, endMs: startMs + 2000 }))
    const extra = extraScenario(spans)
    expect(extra.stages.map((s) => s.target)).toEqual([4, 4, 1, 1, 1, 1])
    const started = iterationsStartedBy({ scenarios: { extra } }, 'extra')
    spans.forEach((span, i) => expect(started(span.startMs + 1000), `session ${i}`).toBeGreaterThanOrEqual(i + 1))
    expect(extra.maxVUs).toBeGreaterThanOrEqual(extra.preAllocatedVUs)
  })
})
