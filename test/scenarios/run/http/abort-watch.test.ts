// AbortWatch without sockets: it judges only settled attempts, each once, and only thresholds
// marked abortOnFail once their delayAbortEval has passed.
import { describe, expect, it } from 'vitest'
import { History } from '../../../../sim/history.ts'
import { OpKind } from '../../../../sim/operation.ts'
import { AbortWatch } from '../../../../scenarios/run/http/abort-watch.ts'
import { parseThresholds } from '../../../../scenarios/run/threshold.ts'

const watchOf = (thresholds: Parameters<typeof parseThresholds>[0]): AbortWatch =>
  new AbortWatch({ thresholds: parseThresholds(thresholds), regionIds: ['us-east'], scenario: 's', timeScale: 1 })

function attempt(history: History, latencyMs: number, ok = true): number {
  const i = history.invoke({ kind: OpKind.View, opId: history.length, user: 0, video: 0, process: 0, region: 0, attempt: 1, invokeMs: 0, failover: false })
  if (ok) history.ok(i, latencyMs, latencyMs)
  return i
}

describe('AbortWatch', () => {
  it('is inactive without abortOnFail thresholds', () => {
    expect(watchOf({ http_req_duration: ['p(99)<1'] }).active).toBe(false)
    expect(watchOf({ http_req_duration: [{ threshold: 'p(99)<1', abortOnFail: true }] }).active).toBe(true)
  })

  it('waits for pending attempts before judging what follows them', () => {
    const watch = watchOf({ http_reqs: [{ threshold: 'count<3', abortOnFail: true }] })
    const history = new History()
    attempt(history, 5)
    const pending = attempt(history, 0, false)
    attempt(history, 5)
    attempt(history, 5)
    expect(watch.check(history, 1000)).toBeUndefined()
    history.ok(pending, 7, 7)
    expect(watch.check(history, 2000)).toBe('http_reqs: count<3 (observed 4)')
  })

  it('feeds each attempt once across calls', () => {
    const watch = watchOf({ http_reqs: [{ threshold: 'count<4', abortOnFail: true }] })
    const history = new History()
    attempt(history, 1)
    attempt(history, 1)
    expect(watch.check(history, 0)).toBeUndefined()
    expect(watch.check(history, 0)).toBeUndefined()
    attempt(history, 1)
    expect(watch.check(history, 0)).toBeUndefined()
    attempt(history, 1)
    expect(watch.check(history, 0)).toBe('http_reqs: count<4 (observed 4)')
  })

  it('respects delayAbortEval and ignores thresholds with nothing measured', () => {
    const watch = watchOf({
      'http_req_duration{op:like}': [{ threshold: 'p(99)<1', abortOnFail: true }],
      http_req_duration: [{ threshold: 'max<10', abortOnFail: true, delayAbortEval: '10s' }],
    })
    const history = new History()
    attempt(history, 50)
    expect(watch.check(history, 9_999)).toBeUndefined()
    expect(watch.check(history, 10_000)).toBe('http_req_duration: max<10 (observed 50)')
  })
})
