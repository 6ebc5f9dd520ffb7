// Errors the reports can meet with a user's input (a missing or malformed result file, two results
// that cannot be compared): a stable code and one line naming the file and what is wrong. The CLI
// turns them into exit code 2.

export const REPORT_ERROR_CODES = {
  LS_RESULT_UNREADABLE: 'the result file cannot be read or is not JSON',
  LS_RESULT_INVALID: 'the file is not a LikeStorm result of a supported schema version',
  LS_COMPARE_MISMATCH: 'the two results were made differently (scenario, scale, mode, time scale or, for the CLI, strategy) and cannot be compared',
} as const

export type ReportErrorCode = keyof typeof REPORT_ERROR_CODES

export class ReportError extends Error {
  readonly code: ReportErrorCode

  constructor(code: ReportErrorCode, message: string) {
    super(message)
    this.name = 'ReportError'
    this.code = code
  }
}
