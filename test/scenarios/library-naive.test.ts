// Over the whole library on the default seed, naive fails exactly the invariant checks its
// expectation names (the table in docs/scenarios.md); library-robust.test.ts does robust. At half
// the default scale (library-robust.test.ts says why).
import { describe, expect, it } from 'vitest'
import { LIBRARY_EXPECTATIONS } from '../helpers/library-expectations.ts'
import { expectValidResultFile } from '../helpers/result-file-check.ts'
import { run } from '../helpers/runs.ts'

const SCALE = 0.5

describe.each(LIBRARY_EXPECTATIONS)('$name', ({ name, expectNaive }) => {
  it('naive fails exactly its expected checks', () => {
    const { result } = run(name, { strategy: 'naive', scale: SCALE })
    expect(result.checks.filter((c) => c.kind === 'invariant' && c.status === 'fail').map((c) => c.name).sort()).toEqual(expectNaive)
  })

  it('writes a result.json that validates against the schema and reads back', () => {
    expectValidResultFile(run(name, { strategy: 'naive', scale: SCALE }).result)
  })
})
