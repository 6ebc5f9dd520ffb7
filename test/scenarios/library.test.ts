// Over the whole library on the default seed: robust passes every scenario, and naive fails
// exactly the checks its expectation names (the table in the README).
import { describe, expect, it } from 'vitest'
import { LIBRARY } from '../../scenarios/library/index.ts'
import { run } from '../helpers/runs.ts'

describe.each(LIBRARY.map((s) => ({ name: s.name, expectNaive: [...(s.expect.naive?.failing ?? [])].sort(), expectRobust: [...s.expect.robust.failing].sort() })))(
  '$name',
  ({ name, expectNaive, expectRobust }) => {
    it('robust fails exactly its expected checks (none)', () => {
      const failing = run(name).result.checks.filter((c) => c.status === 'fail').map((c) => c.name).sort()
      expect(failing).toEqual(expectRobust)
      expect(run(name).result.expectation?.matched).toBe(true)
    })

    it('naive fails exactly its expected checks', () => {
      const failing = run(name, { strategy: 'naive' }).result.checks.filter((c) => c.kind === 'invariant' && c.status === 'fail').map((c) => c.name).sort()
      expect(failing).toEqual(expectNaive)
    })
  },
)
