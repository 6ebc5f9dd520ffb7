// Every checker is shown to fail on a system that breaks its invariant, with an example that
// names the video, the user and the time; and to pass on the robust system for the same run.
import { describe, expect, it } from 'vitest'
import { check, run } from '../../helpers/runs.ts'

const cases = [
  { checker: 'no-lost-likes', strategy: 'broken-lost-likes', scenario: 'baseline' },
  { checker: 'no-double-count', strategy: 'broken-double-count', scenario: 'baseline' },
  { checker: 'counter-bounds', strategy: 'broken-counter-bounds', scenario: 'baseline' },
  { checker: 'never-zero', strategy: 'broken-zero-reads', scenario: 'baseline' },
  { checker: 'view-counts', strategy: 'broken-view-counts', scenario: 'baseline' },
  { checker: 'no-flip', strategy: 'broken-flip', scenario: 'baseline' },
  { checker: 'convergence', strategy: 'broken-no-converge', scenario: 'baseline' },
  { checker: 'purge-accuracy', strategy: 'broken-purge', scenario: 'bot-purge' },
  { checker: 'goodput', strategy: 'broken-no-shed', scenario: 'overload-virginia' },
  { checker: 'last-intent', strategy: 'broken-replay', scenario: 'like-flap' },
  { checker: 'notifications', strategy: 'broken-notifications', scenario: 'baseline' },
  { checker: 'takedown', strategy: 'broken-takedown', scenario: 'takedown' },
  { checker: 'steady-state', strategy: 'broken-leak', scenario: 'soak' },
] as const

const SCALE = 0.5

describe.each(cases)('$checker', ({ checker, strategy, scenario }) => {
  it(`fails on ${strategy} with an example naming video, user and time`, () => {
    const verdict = check(run(scenario, { strategy, scale: SCALE }), checker)
    expect(verdict.status).toBe('fail')
    expect(verdict.examples.length).toBeGreaterThan(0)
    const example = verdict.examples.find((e) => e.videoId !== undefined && e.userId !== undefined && e.atMs !== undefined)
    expect(example, JSON.stringify(verdict.examples.slice(0, 3))).toBeDefined()
    expect(example?.message).toContain(example?.videoId as string)
    expect(example?.message).toContain(example?.userId as string)
  })

  it('passes on robust for the same scenario and seed', () => {
    expect(check(run(scenario, { strategy: 'robust', scale: SCALE }), checker).status).toBe('pass')
  })
})
