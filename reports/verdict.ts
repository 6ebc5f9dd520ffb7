// The verdict of a run in words, shared by every renderer: PASS, FAIL or INCONCLUSIVE, and whether
// the run did what its scenario expects of this strategy (the naive counter is expected to fail
// some checks).
import type { RunResult, RunVerdict } from '../result/result.ts'
import { checkNamesWith, VERDICT_LABEL } from './check-status.ts'

export interface Verdict {
  readonly verdict: RunVerdict
  readonly passed: boolean
  readonly label: string
  readonly failedChecks: readonly string[]
  /** Checks the harness could not judge (their observed text says why). */
  readonly inconclusiveChecks: readonly string[]
  /** null: the scenario states no expectation for this strategy. */
  readonly matched: boolean | null
  /** One sentence on the expectation, empty when there is none. */
  readonly expectation: string
}

function failingList(names: readonly string[]): string {
  return names.length === 0 ? 'every check passes' : `fails ${names.join(', ')}`
}

export function verdictOf(result: RunResult): Verdict {
  const failedChecks = checkNamesWith(result, 'fail')
  const inconclusiveChecks = checkNamesWith(result, 'inconclusive')
  const expectation = result.expectation
  const strategy = result.strategy.name
  let text = ''
  if (expectation !== null) {
    text = expectation.matched
      ? `As expected for ${strategy}: ${failingList(expectation.failing)}.`
      : `NOT as expected for ${strategy}: the scenario expects it ${failingList(expectation.failing)}, this run ${failedChecks.length === 0 ? 'passed every check' : `failed ${failedChecks.join(', ')}`}.`
  }
  return {
    verdict: result.verdict,
    passed: result.verdict === 'pass',
    label: VERDICT_LABEL[result.verdict],
    failedChecks,
    inconclusiveChecks,
    matched: expectation === null ? null : expectation.matched,
    expectation: text,
  }
}
