// A run's result as the CLI writes it (cli/write-result.ts): the file validates against the
// schema and reads back. The library tests apply it to every scenario with both systems.
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import { writeResult } from '../../cli/write-result.ts'
import { readResultFile } from '../../result/result-file.ts'
import { validateResult } from '../../result/result-schema.ts'
import type { RunResult } from '../../result/result.ts'
import { tempDir } from '../reports/fixtures.ts'

export function expectValidResultFile(result: RunResult): void {
  const dir = tempDir('likestorm-result-')
  try {
    const path = writeResult(result, join(dir, result.scenario.name))
    expect(validateResult(JSON.parse(readFileSync(path, 'utf8')))).toEqual([])
    expect(readResultFile(path).scenario.name).toBe(result.scenario.name)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
