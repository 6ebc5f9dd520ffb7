// exercised: a run in which nothing (or too little) was acknowledged fails in one line, and the
// data invariants, with nothing to judge, say so instead of passing "0 of 0".
import { FailureKind } from '../../../sim/failure-kind.ts'
import { describe, expect, it } from 'vitest'
import { runChecks } from '../../../sim/checks/index.ts'
import { checkExercised } from '../../../sim/checks/exercised.ts'
import { Outcome } from '../../../sim/history.ts'
import { OpKind } from '../../../sim/operation.ts'
import { run } from '../../helpers/runs.ts'
import { contextOf, copyHistory, everyAttemptFailed } from './context.ts'

const DATA_INVARIANTS = ['no-lost-likes', 'no-double-count', 'counter-bounds', 'bounded-staleness', 'never-zero', 'view-counts', 'no-flip', 'last-intent', 'convergence', 'notifications'] as const

describe('exercised', () => {
  const outcome = run('baseline', { scale: 0.25 })
  const { population } = outcome

  it('passes on robust, which acknowledged every group', () => {
    const verdict = checkExercised(contextOf(outcome))
    expect(verdict.status).toBe('pass')
    expect(verdict.values).toMatchObject({ likesShare: 1, readsShare: 1, viewsShare: 1 })
    expect(verdict.observed).toMatch(/^genuine operations acknowledged: likes 100% \([\d,]+ of [\d,]+\), reads 100%/)
  })

  it('fails a service that answered 404 to everything in one line; every data invariant says it had nothing to judge', () => {
    const history = everyAttemptFailed(outcome.history, { code: 'LS_CLIENT_STATUS_404', regionIds: population.regionIds, videoCount: population.videoCount })
    const ctx = contextOf(outcome, { history })
    const verdict = checkExercised(ctx)
    expect(verdict.status).toBe('fail')
    expect(verdict.observed).toMatch(/^0 of [\d,]+ operations acknowledged \(all ended LS_CLIENT_STATUS_404\): nothing was exercised, the other checks are vacuous$/)
    const example = verdict.examples[0]
    expect(example?.message).toContain('ended LS_CLIENT_STATUS_404')
    expect(example?.message).toContain(example?.videoId as string)
    expect(example?.message).toContain(example?.userId as string)
    for (const check of runChecks(ctx, [...DATA_INVARIANTS])) {
      expect(check.status, `${check.name}: ${check.observed}`).toBe('not-applicable')
      expect(check.observed, check.name).toMatch(/^nothing to judge: /)
    }
  })

  it('fails a run whose likes were all refused, naming the group and how they ended; a scenario may ask for more', () => {
    const history = copyHistory(outcome.history)
    for (let i = 0; i < history.length; i++) {
      const kind = history.kindOf(i)
      if ((kind === OpKind.Like || kind === OpKind.Unlike) && history.outcomeOf(i) === Outcome.Ok) history.fail(i, history.completeMsOf(i), 1, FailureKind.UnknownId, 'LS_CORE_UNKNOWN_VIDEO')
    }
    const verdict = checkExercised(contextOf(outcome, { history }))
    expect(verdict.status).toBe('fail')
    expect(verdict.observed).toMatch(/likes 0% \(0 of [\d,]+\), reads 100%.*; likes below the minimum \(the unacknowledged all ended LS_CORE_UNKNOWN_VIDEO\)/)

    // A tenth of the likes refused passes the default quarter, not a scenario's 95%.
    const some = copyHistory(outcome.history)
    let n = 0
    for (let i = 0; i < some.length; i++) if (some.isAcknowledged(i, OpKind.Like) && n++ % 10 === 0) some.fail(i, some.completeMsOf(i), 1, FailureKind.Shed, 'LS_CORE_OVERLOADED')
    expect(checkExercised(contextOf(outcome, { history: some })).status).toBe('pass')
    const strict = checkExercised(contextOf(outcome, { history: some, config: { exercised: { minAcknowledgedShare: { likes: 0.95 } } } }))
    expect(strict.status).toBe('fail')
    expect(strict.expected).toContain('95% of likes')
  })

  it("does not hold client timeouts against the service when the harness's own timers ran late; errors, or a healthy harness, fail", () => {
    const cause = 'the load generator could not drive the offered load: 93% of operations were sent more than 10 ms late'
    const lateTimers = { scheduleNotKept: cause, timersLate: cause }
    const timedOut = copyHistory(outcome.history)
    let n = 0
    for (let i = 0; i < timedOut.length; i++) if (timedOut.outcomeOf(i) === Outcome.Ok && n++ % 10 !== 0) timedOut.fail(i, timedOut.completeMsOf(i), 1, FailureKind.Timeout, 'LS_CLIENT_TIMEOUT')
    const starved = checkExercised({ ...contextOf(outcome, { history: timedOut }), harness: lateTimers })
    expect(starved.status).toBe('inconclusive')
    expect(starved.observed).toMatch(/below the minimum \(the unacknowledged all ended LS_CLIENT_TIMEOUT\): the other checks judged little of the run; INCONCLUSIVE: most ended in the client's timeouts while the load generator could not drive/)
    // The same timeouts with the harness's timers on time (or only short of VUs) are the service's.
    expect(checkExercised(contextOf(outcome, { history: timedOut })).status).toBe('fail')
    expect(checkExercised({ ...contextOf(outcome, { history: timedOut }), harness: { scheduleNotKept: cause } }).status).toBe('fail')
    // Refusals are the service's whatever the harness's health.
    const refused = everyAttemptFailed(outcome.history, { code: 'LS_CLIENT_STATUS_503', regionIds: population.regionIds, videoCount: population.videoCount })
    expect(checkExercised({ ...contextOf(outcome, { history: refused }), harness: lateTimers }).status).toBe('fail')
    // A service that answered nothing, on a machine whose clock stalled, cannot be told from the stall; with timers on time it fails.
    const silent = everyAttemptFailed(outcome.history, { code: 'LS_CLIENT_TIMEOUT', regionIds: population.regionIds, videoCount: population.videoCount })
    expect(checkExercised({ ...contextOf(outcome, { history: silent }), harness: lateTimers }).status).toBe('inconclusive')
    expect(checkExercised(contextOf(outcome, { history: silent })).status).toBe('fail')
  })

  it('is inconclusive when the driver sent nothing (every operation dropped for want of a VU)', () => {
    const history = everyAttemptFailed(outcome.history, { code: 'LS_CLIENT_DROPPED', regionIds: population.regionIds, videoCount: population.videoCount })
    const verdict = checkExercised(contextOf(outcome, { history }))
    expect(verdict.status).toBe('inconclusive')
    expect(verdict.observed).toMatch(/^the driver sent none of [\d,]+ operations \(no free VU\)/)
  })

  it('counts genuine users only: a flood the system refuses at its edge is not held against it', () => {
    const ddos = run('ddos', { scale: 0.25 })
    const verdict = checkExercised(contextOf(ddos))
    expect(verdict.status).toBe('pass')
    expect(verdict.values['likesShare']).toBeGreaterThan(0.95)
  })
})
