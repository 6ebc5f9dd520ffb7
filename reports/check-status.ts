// How a check's status and a run's verdict read, in every renderer (terminal, HTML, Markdown,
// JUnit): one place, so a report never shows an inconclusive check as passed or failed.
import type { CheckOutcome, RunResult, RunVerdict } from '../result/result.ts'

type CheckStatus = CheckOutcome['status']

/** One-character marks for terminals and tables. */
export const STATUS_MARK: Readonly<Record<CheckStatus, string>> = { pass: '✓', fail: '✗', inconclusive: '?', 'not-applicable': '–' }

/** Emoji marks for Markdown. */
export const STATUS_EMOJI: Readonly<Record<CheckStatus, string>> = { pass: '✅', fail: '❌', inconclusive: '❔', 'not-applicable': '➖' }

export const VERDICT_LABEL: Readonly<Record<RunVerdict, string>> = { pass: 'PASS', fail: 'FAIL', inconclusive: 'INCONCLUSIVE' }

export const VERDICT_EMOJI: Readonly<Record<RunVerdict, string>> = { pass: '✅', fail: '❌', inconclusive: '❔' }

export function checksWith(result: Pick<RunResult, 'checks'>, status: CheckStatus): CheckOutcome[] {
  return result.checks.filter((check) => check.status === status)
}

export function checkNamesWith(result: Pick<RunResult, 'checks'>, status: CheckStatus): string[] {
  return checksWith(result, status).map((check) => check.name)
}
