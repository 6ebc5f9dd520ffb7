// Errors a user can cause with export-k6 and ingest-k6: a stable code and one line naming the
// file, line, flag or field. They are UsageErrors, so the CLI exits 2 with the line.
import { UsageError } from '../errors.ts'

export const K6_ERROR_CODES = {
  LS_K6_BAD_OUTPUT: 'a k6 JSON output line is not k6 JSON lines, or a LikeStorm point in it is malformed',
  LS_K6_BAD_EXPORT: 'the export folder is missing likestorm.json, or its files do not match it',
  LS_K6_EXPORT_MISMATCH: 'the k6 output comes from another export or another world than the export folder',
  LS_K6_UNSUPPORTED_SCENARIO: 'the scenario cannot be exported to k6 as it is (e.g. its k6 scenarios name an exec function)',
  LS_K6_WORKLOAD_TOO_LARGE: 'the workload has more operations than an export holds; lower --scale',
} as const

export type K6ErrorCode = keyof typeof K6_ERROR_CODES

export function k6Error(code: K6ErrorCode, message: string, problems: readonly string[] = []): UsageError {
  return new UsageError(code, message, problems)
}
