// The checks that judge a read at its asOfMs, against a server on another clock: a read's asOfMs is
// known only to within the clock offset's uncertainty (history.asOfSlackMs), and the checks must
// allow for exactly that (History.earliestAsOfMs).
import { describe, expect, it } from 'vitest'
import { checkCounterBounds } from '../../../sim/checks/counter-bounds.ts'
import { checkNeverZero } from '../../../sim/checks/never-zero.ts'
import { checkNoFlip } from '../../../sim/checks/no-flip.ts'
import type { CheckContext } from '../../../sim/checks/check-types.ts'
import { PairTimeline } from '../../../sim/checks/pair-timeline.ts'
import { OpKind } from '../../../sim/operation.ts'
import { runScenario } from '../../../scenarios/run/runner.ts'
import { scenario } from '../../helpers/runs.ts'
import { restamp } from './context.ts'

describe('checks of reads with a clock offset', () => {
  const outcome = runScenario({ scenario: scenario('like-flap'), seed: 7, scale: 0.25, strategy: 'robust' })
  const { history, population } = outcome
  const contextFor = (): CheckContext => ({
    history,
    population,
    regionIds: population.regionIds,
    faults: [],
    durationMs: 120_000,
    pairs: new PairTimeline(history, { videoCount: population.videoCount, importedLikes: population.importedLikes }),
    config: {},
    capacityRps: {},
    examplesMax: 5,
  })

  it('passes on the true clock, fails when every asOf is read late, and passes again given the slack', () => {
    expect(checkCounterBounds(contextFor()).status).toBe('pass')
    // The server's clock taken 400 ms ahead of ours: every read seems to claim a later state.
    const shiftMs = 400
    for (let i = 0; i < history.length; i++) {
      if (history.kindOf(i) === OpKind.ReadVideo && !Number.isNaN(history.asOfMsOf(i))) restamp(history, i, { asOfMs: history.asOfMsOf(i) + shiftMs })
    }
    const skewed = checkCounterBounds(contextFor())
    expect(skewed.status).toBe('fail')
    history.asOfSlackMs = shiftMs
    expect(checkCounterBounds(contextFor()).status).toBe('pass')
    history.asOfSlackMs = 0
  })

  it.each([
    ['never-zero', checkNeverZero, OpKind.ReadVideo],
    ['no-flip', checkNoFlip, OpKind.ReadLiked],
  ] as const)('%s: passes on the true clock, fails when its reads seem late, passes again given the slack', (_name, check, kind) => {
    const original = Float64Array.from({ length: history.length }, (_, i) => history.asOfMsOf(i))
    const shiftMs = 60_000
    try {
      expect(check(contextFor()).status).toBe('pass')
      for (let i = 0; i < history.length; i++) if (history.kindOf(i) === kind) restamp(history, i, { asOfMs: history.readAsOfMs(i) + shiftMs })
      expect(check(contextFor()).status).toBe('fail')
      history.asOfSlackMs = shiftMs
      expect(check(contextFor()).status).toBe('pass')
    } finally {
      original.forEach((asOfMs, i) => restamp(history, i, { asOfMs }))
      history.asOfSlackMs = 0
    }
  })
})
