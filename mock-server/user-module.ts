// A user's module (a scenario file, a system), imported afresh when its bytes changed (the digest
// in the URL). TypeScript goes through tsx's loader, registered for this process once, so that the
// file's own imports (`likestorm` first) resolve to the modules already loaded, not to a second
// copy of the package. From the sources (a .ts module: tsx or vitest already runs us, on every
// thread) nothing is registered.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { resolve, sep } from 'node:path'
import { pathToFileURL } from 'node:url'

const CODE = /\.(ts|mts|cts|js|mjs|cjs)$/
const FILE_BYTES_MAX = 1024 * 1024

/** A user's module file read and imported, or why not (the problem, without the flag's name). */
export type UserModuleFile =
  | { readonly ok: true; readonly shown: string; readonly absolutePath: string; readonly sha256: string; readonly exports: Record<string, unknown> }
  | { readonly ok: false; readonly shown: string; readonly problem: string }

/**
 * Read the module at `path` (relative to `cwd`), bounded, digest it and import it: what --system,
 * --detector and --adapter share before each checks its own interface. `shown` is the path as
 * given, with forward slashes and no leading ./ (replay commands record the same path).
 */
export async function readUserModule(path: string, { cwd }: { cwd: string }): Promise<UserModuleFile> {
  const shown = path.split(sep).join('/').replace(/^(\.\/)+(?=.)/, '')
  const absolutePath = resolve(cwd, path)
  const fail = (problem: string): UserModuleFile => ({ ok: false, shown, problem })
  if (!CODE.test(absolutePath)) return fail('must be a TypeScript or JavaScript module (.ts, .mts, .js, .mjs)')
  let bytes: Buffer
  try {
    bytes = readFileSync(absolutePath)
  } catch (error) {
    return fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }
  if (bytes.length > FILE_BYTES_MAX) return fail(`is larger than ${FILE_BYTES_MAX / 1024} KB`)
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  try {
    return { ok: true, shown, absolutePath, sha256, exports: await importUserModule(absolutePath, sha256) }
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && /'likestorm'/.test(firstLine(error))
    return fail(`does not load: ${firstLine(error)}${missing ? ' (install the package in this project: see docs/install.md in LikeStorm)' : ''}`)
  }
}

/** An error's first line, for one-line problems. */
export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''
}

let tsxRegistered: unknown

export async function importUserModule(absolutePath: string, sha256: string): Promise<Record<string, unknown>> {
  return importModuleUrl(`${pathToFileURL(absolutePath).href}?sha256=${sha256}`)
}

/**
 * Import a module by URL; a TypeScript one through tsx, registered once, unless this code already
 * runs under a TypeScript loader (its own URL is a .ts file's; built or bundled, it is not).
 */
export async function importModuleUrl(url: string): Promise<Record<string, unknown>> {
  if (/\.[mc]?ts(\?|$)/.test(url) && !import.meta.url.endsWith('.ts')) {
    const { register } = await import('tsx/esm/api')
    tsxRegistered ??= register()
  }
  return (await import(url)) as Record<string, unknown>
}
