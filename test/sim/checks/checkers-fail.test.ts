// Every checker is shown to fail on a system that breaks its invariant, with an example that
// names the video, the user and the time. That each passes on the robust system for the same
// scenario, seed and scale is shown by library-robust.test.ts, which makes those robust runs.
import { describe, expect, it } from 'vitest'
import { CHECKER_CASES, LIBRARY_TEST_RUN } from '../../helpers/checker-cases.ts'
import { check, run } from '../../helpers/runs.ts'

describe.each(CHECKER_CASES)('$checker', ({ checker, strategy, scenario }) => {
  it(`fails on ${strategy} with an example naming video, user and time`, () => {
    const verdict = check(run(scenario, { strategy, ...LIBRARY_TEST_RUN }), checker)
    expect(verdict.status).toBe('fail')
    expect(verdict.examples.length).toBeGreaterThan(0)
    const example = verdict.examples.find((e) => e.videoId !== undefined && e.userId !== undefined && e.atMs !== undefined)
    expect(example, JSON.stringify(verdict.examples.slice(0, 3))).toBeDefined()
    expect(example?.message).toContain(example?.videoId as string)
    expect(example?.message).toContain(example?.userId as string)
  })
})
