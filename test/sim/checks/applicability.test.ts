// A check that needs what the target lacks is not applicable, with the reason: never failed for
// the lack (a target that does not know creators would fail notifications), never passed for it
// (a one-region target would pass convergence with nothing to compare). Mode sim and the embedded
// server offer everything: no target facts, every check judged as before.
import { describe, expect, it } from 'vitest'
import { notApplicableReason, type TargetFacts } from '../../../sim/checks/applicability.ts'
import { CHECK_NAMES, runChecks } from '../../../sim/checks/index.ts'
import { run } from '../../helpers/runs.ts'
import { contextOf } from './context.ts'

const EVERYTHING: TargetFacts = { distinctRegions: 4, likeStates: true, creatorsKnown: true, staleness: true, source: 'its capabilities document says so' }

describe('check applicability', () => {
  const outcome = run('baseline', { scale: 0.25 })

  it('a target that offers everything is judged on every check, as the run without target facts is', () => {
    for (const name of CHECK_NAMES) expect(notApplicableReason(name, EVERYTHING), name).toBeUndefined()
    expect(runChecks({ ...contextOf(outcome), target: EVERYTHING }, CHECK_NAMES)).toEqual(runChecks(contextOf(outcome), CHECK_NAMES))
  })

  it('names, for each missing capability, the checks it takes away', () => {
    const lacking = (facts: Partial<TargetFacts>): string[] => CHECK_NAMES.filter((name) => notApplicableReason(name, { ...EVERYTHING, ...facts }) !== undefined)
    expect(lacking({ creatorsKnown: false })).toEqual(['notifications'])
    expect(lacking({ distinctRegions: 1 })).toEqual(['convergence'])
    expect(lacking({ staleness: false })).toEqual(['bounded-staleness'])
    expect(lacking({ likeStates: false }).sort()).toEqual(['last-intent', 'no-double-count', 'no-lost-likes'])
  })

  it('turns a check the target cannot be judged by into not-applicable with the reason, its expectation kept', () => {
    const ctx = contextOf(outcome)
    const judged = runChecks(ctx, ['notifications', 'convergence'])
    const [notifications, convergence] = runChecks({ ...ctx, target: { ...EVERYTHING, creatorsKnown: false, distinctRegions: 1, source: 'it serves no capabilities document: the minimum is assumed' } }, ['notifications', 'convergence'])
    expect(judged.map((check) => check.status)).toEqual(['pass', 'pass'])
    expect(notifications).toMatchObject({ status: 'not-applicable', expected: judged[0]?.expected, examples: [] })
    expect(notifications?.observed).toBe(
      'not applicable: the target does not know who created which video, so no notification can be expected (it serves no capabilities document: the minimum is assumed); load the run\'s world into it (likestorm world export, or a provisioning path) and declare notifications and world "loaded" (docs/targets.md)',
    )
    expect(convergence?.status).toBe('not-applicable')
    expect(convergence?.observed).toMatch(/^not applicable: the target is one region/)
  })
})
