// `likestorm run 'scenarios/*.scenario.ts'`: a shell expands an unquoted glob itself; a quoted one
// (or one on a shell that does not, such as cmd.exe) is expanded here. `*` and `?` match within a
// path segment, `**` any number of segments (not into node_modules or dot folders). Node 20 has
// no fs.glob, and the walk is small enough not to need a library.
import { readdirSync, statSync } from 'node:fs'
import { resolve } from 'node:path'

const GLOB_CHARS = /[*?]/
/** Folders a walk may read: a glob over a whole disk is refused, not run for minutes. */
const DIRS_VISITED_MAX = 20_000
const MATCHES_MAX = 1000

export function isGlob(pattern: string): boolean {
  return GLOB_CHARS.test(pattern)
}

/** The files `pattern` matches under `cwd`, sorted; paths as the pattern writes them (relative stays relative). */
export function expandGlob(pattern: string, cwd: string): string[] {
  const segments = pattern.split(/[\\/]+/)
  const absolute = pattern.startsWith('/')
  const firstGlob = segments.findIndex((segment) => isGlob(segment))
  if (firstGlob < 0) return [pattern]
  const fixed = segments.slice(0, firstGlob).join('/')
  const start = fixed === '' ? (absolute ? '/' : '') : fixed
  const matches: string[] = []
  const budget = { dirs: DIRS_VISITED_MAX }
  walk(start, segments.slice(firstGlob), { cwd, matches, budget })
  return matches.sort()
}

interface Walk {
  readonly cwd: string
  readonly matches: string[]
  readonly budget: { dirs: number }
}

function walk(dir: string, rest: readonly string[], state: Walk): void {
  const [segment, ...after] = rest
  if (segment === undefined) return
  if (--state.budget.dirs < 0) throw new Error(`the glob reads more than ${DIRS_VISITED_MAX} folders; name a narrower one`)
  const entries = list(resolve(state.cwd, dir))
  if (segment === '**') {
    walk(dir, after, state)
    for (const name of entries) if (!name.startsWith('.') && name !== 'node_modules' && isDir(resolve(state.cwd, dir, name))) walk(child(dir, name), rest, state)
    return
  }
  const matcher = segmentRegExp(segment)
  for (const name of entries) {
    if (!matcher.test(name) || (name.startsWith('.') && !segment.startsWith('.'))) continue
    const path = child(dir, name)
    if (after.length > 0) {
      if (isDir(resolve(state.cwd, path))) walk(path, after, state)
    } else if (!isDir(resolve(state.cwd, path)) && !state.matches.includes(path)) {
      if (state.matches.length >= MATCHES_MAX) throw new Error(`the glob matches more than ${MATCHES_MAX} files; name a narrower one`)
      state.matches.push(path)
    }
  }
}

function segmentRegExp(segment: string): RegExp {
  const body = segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')
  return new RegExp(`^${body}$`)
}

function child(dir: string, name: string): string {
  return dir === '' ? name : dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir === '' ? '.' : dir).sort()
  } catch {
    return []
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
