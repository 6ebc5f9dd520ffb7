// The library's expectations, one row per scenario: which checks each strategy must fail (none for
// robust; naive's as its scenario file names them). Two test files judge them, one per strategy,
// so the two halves of the library run on both cores.
import { LIBRARY } from '../../scenarios/library/index.ts'

export const LIBRARY_EXPECTATIONS = LIBRARY.map((s) => ({
  name: s.name,
  expectNaive: [...(s.expect.naive?.failing ?? [])].sort(),
  expectRobust: [...s.expect.robust.failing].sort(),
}))
