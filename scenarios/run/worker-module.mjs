// How a worker thread's entry loads its TypeScript module. Plain JavaScript: a worker inherits no
// TypeScript loader from its parent (a test runner, the likestorm command). The installed package
// loads the build next to the entry. From the sources, the module and its local imports may be
// bundled by esbuild into one file (packages stay Node's, imported by absolute URL), named by its
// content in the OS's temp folder, and imported: a worker loads the embedded server's 81 modules
// that way in ~0.45 s, where tsx's loader, resolving and compiling them one by one, took ~1.1 s
// (every http run starts one). If bundling fails, tsx loads the sources as before.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** Bundles older than this are removed when a new one is written (one is written per change of the sources). */
const BUNDLE_AGE_MAX_MS = 24 * 3600 * 1000

/**
 * The module `base` (relative to `fromUrl`, without extension): its build, else its sources —
 * bundled when `bundled` is true, which only a module graph that finds nothing by its own URL may
 * ask (bundled, `import.meta.url` is the bundle's: report assets read next to their module, a
 * worker started from its entry's path, would not be found).
 */
export async function loadWorkerModule(base, fromUrl, { bundled: bundling }) {
  const compiled = new URL(`${base}.js`, fromUrl)
  if (existsSync(compiled)) return import(compiled.href)
  const source = new URL(`${base}.ts`, fromUrl)
  const bundled = bundling ? await bundle(fileURLToPath(source)).catch(() => undefined) : undefined
  if (bundled !== undefined) return import(bundled)
  const { tsImport } = await import('tsx/esm/api')
  return tsImport(source.href, fromUrl)
}

/** The file URL of the module's bundle, written unless the same content already is. */
async function bundle(entry) {
  const { build } = await import('esbuild')
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    plugins: [{ name: 'packages-by-url', setup: (b) => b.onResolve({ filter: /^[^./]/ }, packageByUrl) }],
  })
  const code = result.outputFiles[0].contents
  const dir = join(tmpdir(), 'likestorm-worker-modules')
  const file = join(dir, `${createHash('sha256').update(code).digest('hex').slice(0, 32)}.mjs`)
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true })
    pruneOld(dir)
    // Written whole under another name, then renamed: a thread loading it meanwhile never sees half a file.
    const partial = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.partial`
    writeFileSync(partial, code)
    renameSync(partial, file)
  }
  return pathToFileURL(file).href
}

/** A package (or Node built-in) stays outside the bundle, imported from where Node resolves it for the sources. */
function packageByUrl(args) {
  return { path: import.meta.resolve(args.path), external: true }
}

function pruneOld(dir) {
  const cutMs = Date.now() - BUNDLE_AGE_MAX_MS
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    try {
      if (statSync(path).mtimeMs < cutMs) unlinkSync(path)
    } catch {
      // Removed by another process meanwhile.
    }
  }
}
