// The README opens with the two commands; the scenario table (docs/scenarios.md) says what each
// strategy shows, and it must match the library.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LIBRARY } from '../scenarios/library/index.ts'

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8')
const scenarios = readFileSync(join(import.meta.dirname, '..', 'docs', 'scenarios.md'), 'utf8')

describe('README', () => {
  it('opens with the two commands a newcomer runs', () => {
    const firstBlock = readme.slice(readme.indexOf('```'), readme.indexOf('```', readme.indexOf('```') + 3))
    expect(firstBlock).toContain('npm ci && npm start')
    expect(firstBlock).toContain('npm ci && npm test')
  })

  it.each(LIBRARY.map((s) => [s.name, s.expect.naive?.failing ?? []] as const))('has a row for %s with its naive outcome', (name, naive) => {
    const row = scenarios.split('\n').find((line) => line.startsWith(`| \`${name}\` |`))
    expect(row, name).toBeDefined()
    const cells = (row as string).split('|').map((cell) => cell.trim())
    expect(cells[4]).toBe('passes')
    expect(cells[5]).toBe(naive.length === 0 ? 'passes' : naive.join(', '))
  })
})
