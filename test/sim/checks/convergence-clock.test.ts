// convergence over a stalled clock: a catch-up timed while the harness's own timers ran late (a
// machine short of CPU) is inconclusive; regions that disagree at the end fail whatever the clock.
import { describe, expect, it } from 'vitest'
import { checkConvergence } from '../../../sim/checks/convergence.ts'
import { run } from '../../helpers/runs.ts'
import { contextOf, copyHistory } from './context.ts'

describe('convergence and a late clock', () => {
  const outcome = run('partition', { scale: 0.25 })
  const cause = 'the embedded mock server could not answer at the modelled speed'
  // A deadline no catch-up meets: the timing half fails on its own.
  const strict = { convergence: { deadlineS: 0.001 } }

  it('a missed deadline fails with timers on time, and is inconclusive when they ran late', () => {
    expect(checkConvergence(contextOf(outcome)).status).toBe('pass')
    expect(checkConvergence(contextOf(outcome, { config: strict })).status).toBe('fail')
    const late = checkConvergence({ ...contextOf(outcome, { config: strict }), harness: { scheduleNotKept: cause, timersLate: cause } })
    expect(late.status).toBe('inconclusive')
    expect(late.observed).toMatch(/; 0 video\(s\) and 0 like\(s\) differ between regions at the end.*; INCONCLUSIVE: the catch-up was timed while the embedded mock server could not answer/)
    // Short of VUs only, the timers were on time: the miss stands.
    expect(checkConvergence({ ...contextOf(outcome, { config: strict }), harness: { scheduleNotKept: cause } }).status).toBe('fail')
  })

  it('regions that disagree at the end fail, late clock or not', () => {
    const history = copyHistory(outcome.history)
    const final = history.final
    if (final === undefined) throw new Error('the run read no final state')
    const [first] = final.regions
    if (first === undefined) throw new Error('no region')
    history.final = { ...final, regions: [{ ...first, likeCount: first.likeCount.map((count, video) => (video === 0 ? count + 1 : count)) }, ...final.regions.slice(1)] }
    const verdict = checkConvergence({ ...contextOf(outcome, { history }), harness: { scheduleNotKept: cause, timersLate: cause } })
    expect(verdict.status).toBe('fail')
    expect(verdict.values['differingVideos']).toBeGreaterThan(0)
  })
})
