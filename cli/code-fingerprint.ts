// Which code made a run, beyond the version number (which stays the same between commits): the
// SHA-256 of the files a swarm run's result depends on (the simulator, the system under test, the
// scenarios, the result format), paths and bytes, in a stable order. Shards of one swarm made by
// different code would be merged into a verdict no single version gave; swarm-merge refuses them.
// In the repository these are the .ts sources, in the package the compiled dist/ files: each is
// compared with its own kind, as shards of one CI run always are.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The folders whose code decides a run's result, from the package's root (or dist/). */
const CODE_DIRS = ['sim', 'mock-server', 'scenarios', 'result']
const CODE_FILE = /\.(ts|js|mjs|json)$/
const FILES_MAX = 5000

let cached: string | undefined

/** `sha256:<hex>` of the code under CODE_DIRS next to this module's folder. */
export function codeFingerprint(): string {
  cached ??= fingerprintOf(fileURLToPath(new URL('..', import.meta.url)))
  return cached
}

export function fingerprintOf(root: string): string {
  const files: string[] = []
  for (const dir of CODE_DIRS) {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || !CODE_FILE.test(entry.name) || entry.name.endsWith('.d.ts')) continue
      files.push(join(entry.parentPath, entry.name))
      if (files.length > FILES_MAX) throw new Error(`code fingerprint: more than ${FILES_MAX} files under ${root}`)
    }
  }
  const hash = createHash('sha256')
  for (const path of files.map((file) => relative(root, file).split(sep).join('/')).sort()) {
    hash.update(`${path}\0`)
    hash.update(readFileSync(join(root, path)))
    hash.update('\0')
  }
  return `sha256:${hash.digest('hex')}`
}
