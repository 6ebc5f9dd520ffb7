// Over the whole library on the default seed, robust fails exactly the checks its expectation
// names (none) and matches it; library-naive.test.ts does the same for naive. At half the default
// scale, to keep the suite within CI's budget: `npm start` (the tour) judges the same expectations
// at scale 1, and `likestorm run --all --seed 7` shows them.
import { describe, expect, it } from 'vitest'
import { LIBRARY_EXPECTATIONS } from '../helpers/library-expectations.ts'
import { run } from '../helpers/runs.ts'

const SCALE = 0.5

describe.each(LIBRARY_EXPECTATIONS)('$name', ({ name, expectRobust }) => {
  it('robust fails exactly its expected checks (none)', () => {
    const { result } = run(name, { scale: SCALE })
    expect(result.checks.filter((c) => c.status === 'fail').map((c) => c.name).sort()).toEqual(expectRobust)
    expect(result.expectation?.matched).toBe(true)
  })
})
