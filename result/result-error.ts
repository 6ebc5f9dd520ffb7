// Errors a result file can meet with a user's input (a missing or malformed result file, two results
// that cannot be compared): a stable code and one line naming the file and what is wrong. The CLI
// turns them into exit code 2.

export const RESULT_ERROR_CODES = {
  LS_RESULT_UNREADABLE: 'the result file cannot be read or is not JSON',
  LS_RESULT_INVALID: 'the file is not a LikeStorm result of a supported schema version',
  LS_COMPARE_MISMATCH: 'the two results were made differently (scenario, scale, mode, time scale or, for the CLI, strategy) and cannot be compared',
} as const

export type ResultErrorCode = keyof typeof RESULT_ERROR_CODES

export class ResultError extends Error {
  readonly code: ResultErrorCode

  constructor(code: ResultErrorCode, message: string) {
    super(message)
    this.name = 'ResultError'
    this.code = code
  }
}
