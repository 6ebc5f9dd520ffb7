// Every answer is classified once, into a kind that says what the history records and what the
// client does: the classifiers for a core code, an HTTP status with its catalogue code and a
// network error, and the meaning of each kind.
import { describe, expect, it } from 'vitest'
import { FailureKind, FAILURE_KIND_NAMES } from '../../../sim/failure-kind.ts'
import { Outcome } from '../../../sim/history.ts'
import { classifyNetworkError, classifyStatus, failsOver, isFinalRefusal, isRetryable, kindOfCode, outcomeOf } from '../../../scenarios/protocol/answer-kind.ts'

const name = (kind: FailureKind): string => FAILURE_KIND_NAMES[kind]

describe('classification', () => {
  it('reads a core reply code', () => {
    expect(name(kindOfCode('LS_CORE_OVERLOADED'))).toBe('shed')
    expect(name(kindOfCode('LS_CORE_RATE_LIMITED'))).toBe('rate-limited')
    expect(name(kindOfCode('LS_CORE_COUNT_UNAVAILABLE'))).toBe('unavailable')
    expect(name(kindOfCode('LS_CORE_REGION_DOWN'))).toBe('refused')
    expect(name(kindOfCode('LS_CORE_UNKNOWN_VIDEO'))).toBe('unknown-id')
    expect(name(kindOfCode('LS_CORE_VIDEO_UNAVAILABLE'))).toBe('taken-down')
    expect(name(kindOfCode('LS_CORE_ACCOUNT_DELETED'))).toBe('account-deleted')
    expect(name(kindOfCode('LS_CORE_BAD_WATCH_MS'))).toBe('bad-request')
    expect(name(kindOfCode('LS_CLIENT_DROPPED'))).toBe('not-sent')
    expect(name(kindOfCode('SOMETHING_ELSE'))).toBe('other')
  })

  it('reads an HTTP status with its catalogue code, and a status alone from a foreign service', () => {
    expect(classifyStatus(200, undefined)).toEqual({ kind: FailureKind.None, code: '' })
    expect(classifyStatus(503, 'LS_HTTP_OVERLOADED')).toEqual({ kind: FailureKind.Shed, code: 'LS_HTTP_OVERLOADED' })
    expect(classifyStatus(503, 'LS_CORE_COUNT_UNAVAILABLE').kind).toBe(FailureKind.Unavailable)
    expect(classifyStatus(503, undefined)).toEqual({ kind: FailureKind.Shed, code: 'LS_CLIENT_STATUS_503' })
    expect(classifyStatus(429, undefined).kind).toBe(FailureKind.RateLimited)
    expect(classifyStatus(504, 'LS_HTTP_DEADLINE_EXCEEDED').kind).toBe(FailureKind.DeadlineExceeded)
    expect(classifyStatus(500, 'LS_HTTP_INTERNAL').kind).toBe(FailureKind.ServerError)
    expect(classifyStatus(404, 'LS_HTTP_NOT_FOUND').kind).toBe(FailureKind.BadRequest)
    expect(classifyStatus(404, undefined).kind).toBe(FailureKind.UnknownId)
    expect(classifyStatus(422, 'LS_CORE_IDEMPOTENCY_MISMATCH').kind).toBe(FailureKind.BadRequest)
  })

  it('reads a request that got no answer by whether its bytes left', () => {
    expect(classifyNetworkError('refused', false).kind).toBe(FailureKind.Refused)
    expect(classifyNetworkError('reset', false).kind).toBe(FailureKind.Refused)
    expect(classifyNetworkError('reset', true).kind).toBe(FailureKind.ConnectionReset)
    expect(classifyNetworkError('timeout', true).kind).toBe(FailureKind.Timeout)
  })
})

describe('what a kind means', () => {
  it('is maybe-applied only where the server may have acted', () => {
    const indeterminate = FAILURE_KIND_NAMES.filter((_, kind) => outcomeOf(kind as FailureKind) === Outcome.Indeterminate)
    expect(indeterminate).toEqual(['timeout', 'connection-reset', 'deadline-exceeded', 'server-error', 'bad-response'])
    expect(outcomeOf(FailureKind.None)).toBe(Outcome.Ok)
  })

  it('retries load and transient failures, fails over from unreachable regions, gives up on refusals of the request', () => {
    expect(FAILURE_KIND_NAMES.filter((_, kind) => isRetryable(kind as FailureKind))).toEqual(['shed', 'rate-limited', 'unavailable', 'timeout', 'refused', 'connection-reset', 'deadline-exceeded', 'server-error', 'bad-response'])
    expect(FAILURE_KIND_NAMES.filter((_, kind) => failsOver(kind as FailureKind))).toEqual(['refused', 'connection-reset'])
    expect(FAILURE_KIND_NAMES.filter((_, kind) => isFinalRefusal(kind as FailureKind))).toEqual(['unknown-id', 'bad-request', 'taken-down', 'account-deleted', 'not-sent', 'other'])
  })
})
