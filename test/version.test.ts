import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LIKESTORM_VERSION } from '../scenarios/version.ts'

describe('version', () => {
  it('matches package.json', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string }
    expect(LIKESTORM_VERSION).toBe(pkg.version)
  })
})
