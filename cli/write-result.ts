// Writing results to disk: <out>/<name>/result.json, pretty-printed and stable, written atomically
// (a temporary file renamed over it), so a reader never sees half a result.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from '../reports/atomic-file.ts'
import type { RunResult } from '../result/result.ts'

export const RESULT_FILE = 'result.json'

export function serializeResult(result: RunResult): string {
  return `${JSON.stringify(result, null, 2)}\n`
}

export function writeResult(result: RunResult, dir: string): string {
  mkdirSync(dir, { recursive: true })
  return writeFileAtomic(join(dir, RESULT_FILE), serializeResult(result))
}
