// The folders' import rules (docs/architecture.md): what each part may import of ours. A rule
// broken is one line naming the file and the import.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '..')

/** Every relative import of every .ts file under `folder`, as a path from the project's root. */
function importsOf(folder: string): Array<{ file: string; target: string }> {
  const found: Array<{ file: string; target: string }> = []
  for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue
    const path = join(entry.parentPath, entry.name)
    for (const match of readFileSync(path, 'utf8').matchAll(/^(?:import|export)[^'";]*?from\s+'(\.[^']+)'/gm)) {
      found.push({ file: relative(ROOT, path), target: relative(ROOT, resolve(dirname(path), match[1] as string)) })
    }
  }
  return found
}

/** The imports of `folder` that land outside every one of `allowed` (folders, from the root). */
function outside(folder: string, allowed: readonly string[]): string[] {
  return importsOf(folder)
    .filter(({ target }) => !allowed.some((prefix) => target.startsWith(`${prefix}/`)))
    .map(({ file, target }) => `${file} imports ${target}`)
}

describe('import boundaries', () => {
  it('sim/ imports nothing of ours but itself', () => {
    // The scan sees the imports it judges (a pattern that matched nothing would pass anything).
    expect(importsOf('sim').length).toBeGreaterThan(50)
    expect(outside('sim', ['sim'])).toEqual([])
  })

  it('the result format imports nothing of the harness; reports import only it', () => {
    expect(outside('result', ['result'])).toEqual([])
    expect(outside('reports', ['reports', 'result'])).toEqual([])
  })

  it('the system under test and its environment import nothing outside mock-server/', () => {
    for (const part of ['mock-server/core', 'mock-server/env', 'mock-server/systems']) expect(outside(part, ['mock-server'])).toEqual([])
  })

  it('the client protocol imports only sim/ types and itself', () => {
    expect(outside('scenarios/protocol', ['scenarios/protocol', 'sim'])).toEqual([])
  })
})
