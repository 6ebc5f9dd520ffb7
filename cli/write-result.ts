// Writing results to disk: <out>/<name>/result.json, pretty-printed and stable.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RunResult } from '../scenarios/run/result.ts'

export function serializeResult(result: RunResult): string {
  return `${JSON.stringify(result, null, 2)}\n`
}

export function writeResult(result: RunResult, dir: string): string {
  mkdirSync(dir, { recursive: true })
  const path = join(dir, 'result.json')
  writeFileSync(path, serializeResult(result))
  return path
}
