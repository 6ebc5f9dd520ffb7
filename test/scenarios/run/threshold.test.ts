// k6 threshold syntax: a grammar with precise errors, and evaluation on tagged metrics.
import { describe, expect, it } from 'vitest'
import { FailureKind } from '../../../sim/failure-kind.ts'
import { History } from '../../../sim/history.ts'
import { OpKind } from '../../../sim/operation.ts'
import { HistoryMetrics, MetricStore, evaluateThresholds } from '../../../scenarios/run/metric-store.ts'
import { parseMetricKey, parseThresholdExpression, parseThresholds } from '../../../scenarios/run/threshold.ts'

describe('threshold grammar', () => {
  it.each([
    ['p(99)<250', { kind: 'percentile', percentile: 99 }, '<', 250],
    ['p(99.9) <= 1e3', { kind: 'percentile', percentile: 99.9 }, '<=', 1000],
    [' rate < 0.01 ', { kind: 'rate' }, '<', 0.01],
    ['count==0', { kind: 'count' }, '==', 0],
    ['avg>=.5', { kind: 'avg' }, '>=', 0.5],
    ['med!=3', { kind: 'med' }, '!=', 3],
    ['max===7', { kind: 'max' }, '===', 7],
  ] as const)('%s', (text, aggregation, operator, value) => {
    expect(parseThresholdExpression(text)).toMatchObject({ aggregation, operator, value })
  })

  it.each([
    ['p(101)<5', 'a percentile from 0 to 100'],
    ['p(99<5', "')'"],
    ['mean<5', 'an aggregation'],
    ['avg~5', 'an operator'],
    ['avg<', 'a number'],
    ['avg<5ms', 'the end of the text'],
  ])('refuses %s, saying what it expected', (text, expected) => {
    expect(() => parseThresholdExpression(text)).toThrow(expected)
  })

  it('parses metric keys with tag filters', () => {
    expect(parseMetricKey('http_req_duration{op:like, region:us-east}')).toMatchObject({ metric: 'http_req_duration', tags: { op: 'like', region: 'us-east' } })
    expect(() => parseMetricKey('http_req_duration{op}')).toThrow("':'")
    expect(() => parseMetricKey('http_req_duration{op:like')).toThrow("',' or '}'")
  })

  it('reads the long form and reports every bad threshold at once', () => {
    const parsed = parseThresholds({ http_req_duration: [{ threshold: 'p(95)<200', abortOnFail: true, delayAbortEval: '10s' }] })
    expect(parsed[0]).toMatchObject({ abortOnFail: true, delayAbortEvalMs: 10_000 })
    try {
      parseThresholds({ a: ['avg<'], 'b{': ['rate<1'], c: ['p(99)<1', 'nonsense'] })
      expect.unreachable()
    } catch (error) {
      expect((error as { problems: string[] }).problems).toHaveLength(3)
    }
  })
})

describe('threshold evaluation', () => {
  const store = new MetricStore()
  for (let i = 1; i <= 100; i++) store.add('http_req_duration', { op: i % 2 === 0 ? 'like' : 'view', region: 'us-east' }, i)
  for (let i = 0; i < 10; i++) store.add('http_req_failed', { op: 'like', region: 'us-east' }, i === 0 ? 1 : 0)
  store.add('http_reqs', { op: 'like', region: 'us-east' }, 1)

  it('aggregates trends, rates and counters, filtered by tags', () => {
    const outcomes = evaluateThresholds(
      store,
      parseThresholds({
        http_req_duration: ['p(99)<100', 'p(50)<=51', 'max==100', 'avg<50'],
        'http_req_duration{op:like}': ['min>=2'],
        'http_req_failed{op:like}': ['rate<0.05'],
        http_reqs: ['count<2'],
        'http_req_duration{op:unlike}': ['p(99)<1'],
      }),
    )
    expect(outcomes.map((o) => o.passed)).toEqual([true, true, true, false, true, false, true, false])
    expect(outcomes[0]?.observed).toBeCloseTo(99, 0)
    expect(outcomes[5]?.observed).toBeCloseTo(0.1, 9)
    expect(outcomes[7]?.observed).toBeNull()
  })
})

describe('request durations', () => {
  it("http_req_duration counts every request as k6 does (a timeout its wait); likestorm_ok_duration the successes only", () => {
    const history = new History()
    const sent = (invokeMs: number): number => history.invoke({ kind: OpKind.Like, opId: invokeMs, user: 1, video: 2, process: 1, region: 0, attempt: 1, invokeMs, failover: false })
    history.ok(sent(0), 5, 5)
    history.indeterminate(sent(10), 2010, FailureKind.Timeout, 'LS_CLIENT_TIMEOUT')
    history.fail(sent(20), 21, 1, FailureKind.Shed, 'LS_CORE_OVERLOADED')
    const metrics = new HistoryMetrics({ regionIds: ['us-east'], scenario: 's' })
    metrics.record(history, 0, history.length)
    const [all, ok, count, okCount] = evaluateThresholds(metrics.store, parseThresholds({ http_req_duration: ['max<1'], likestorm_ok_duration: ['max<1'], 'http_req_duration{op:like}': ['count<1'], 'likestorm_ok_duration{op:like}': ['count<1'] }))
    expect(all?.observed).toBe(2000)
    expect(ok?.observed).toBe(5)
    expect(count?.observed).toBe(3)
    expect(okCount?.observed).toBe(1)
  })
})
