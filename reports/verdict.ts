// The verdict of a run in words, shared by every renderer: PASS/FAIL, and whether the run did what
// its scenario expects of this strategy (the naive counter is expected to fail some checks).
import type { RunResult } from '../scenarios/run/result.ts'

export interface Verdict {
  readonly passed: boolean
  readonly label: 'PASS' | 'FAIL'
  readonly failedChecks: readonly string[]
  /** null: the scenario states no expectation for this strategy. */
  readonly matched: boolean | null
  /** One sentence on the expectation, empty when there is none. */
  readonly expectation: string
}

function failingList(names: readonly string[]): string {
  return names.length === 0 ? 'every check passes' : `fails ${names.join(', ')}`
}

export function verdictOf(result: RunResult): Verdict {
  const failedChecks = result.checks.filter((check) => !check.passed).map((check) => check.name)
  const expectation = result.expectation
  const strategy = result.strategy.name
  let text = ''
  if (expectation !== null) {
    text = expectation.matched
      ? `As expected for ${strategy}: ${failingList(expectation.failing)}.`
      : `NOT as expected for ${strategy}: the scenario expects it ${failingList(expectation.failing)}, this run ${failedChecks.length === 0 ? 'passed every check' : `failed ${failedChecks.join(', ')}`}.`
  }
  return { passed: result.passed, label: result.passed ? 'PASS' : 'FAIL', failedChecks, matched: expectation === null ? null : expectation.matched, expectation: text }
}
