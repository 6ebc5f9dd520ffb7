// The package's build, run by `npm pack` (prepack): the TypeScript sources transpiled file by file
// into dist/ (same folders, so every `new URL('./…', import.meta.url)` still finds its neighbour),
// declarations from tsc, and the files the code reads at run time next to it (the k6 script's entry
// prebundled). The repository
// itself never runs dist/: bin/likestorm.js and the worker entries run the sources through tsx
// whenever the sources are there (see bin/likestorm.js).
import { build } from 'esbuild'
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const DIST = join(ROOT, 'dist')
const SOURCE_DIRS = ['sim', 'mock-server', 'scenarios', 'reports', 'result', 'cli']
/** Files read at run time by path, copied as they are (the .mjs entries start worker threads). */
const RUNTIME_FILE = /\.(mjs|json|css|js)$/
/** A relative import of one of our modules: kept as an import, of the compiled file. */
const RELATIVE_MODULE = /^\.\.?\/.*\.(ts|mjs|js)$/
const FILES_MAX = 5000

function walk(dir, files = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) walk(path, files)
    else files.push(path)
    if (files.length > FILES_MAX) throw new Error(`build: more than ${FILES_MAX} files under ${dir}`)
  }
  return files
}

// Bundling one file with every relative import external is esbuild's per-file transpilation that
// also rewrites `./x.ts` to `./x.js`; JSON imports are inlined (Node 20 warns on JSON modules).
const externalRelative = {
  name: 'external-relative',
  setup(b) {
    b.onResolve({ filter: RELATIVE_MODULE }, (args) => (args.kind === 'entry-point' ? undefined : { path: args.path.replace(/\.ts$/, '.js'), external: true }))
  },
}

async function transpile(sources) {
  await build({
    entryPoints: sources,
    outdir: DIST,
    outbase: ROOT,
    bundle: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [externalRelative],
    logLevel: 'warning',
  })
}

/**
 * The k6 export bundles scenarios/k6/script/main.ts at run time (scenarios/k6/bundle.ts), with the
 * scenario's options and plan defined into it. The package ships that entry already bundled (the
 * protocol and sim modules it imports inlined, k6's modules and the two defines left free), so no
 * TypeScript source sits next to a declaration, where a user's tsc would pick it up and check it.
 */
async function prebundleK6Script() {
  await build({
    entryPoints: [join(ROOT, 'scenarios/k6/script/main.ts')],
    outfile: join(DIST, 'scenarios/k6/script/main.ts'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'esnext',
    external: ['k6', 'k6/*'],
    banner: { js: '// Built by scripts/build.mjs: scenarios/k6/script/main.ts with its imports inlined (JavaScript, which esbuild reads as TypeScript).' },
    logLevel: 'warning',
  })
}

/** Declarations, their relative imports pointing at the compiled files as the JavaScript's do. */
function declarations() {
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: ['ignore', 2, 2] })
  for (const file of walk(DIST).filter((path) => path.endsWith('.d.ts'))) {
    const text = readFileSync(file, 'utf8')
    writeFileSync(file, text.replace(/(['"])(\.{1,2}\/[^'"\n]+)\.ts\1/g, '$1$2.js$1'))
  }
}

rmSync(DIST, { recursive: true, force: true })
const files = SOURCE_DIRS.flatMap((dir) => walk(join(ROOT, dir)))
const sources = [join(ROOT, 'index.ts'), ...files.filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'))]
await transpile(sources)
for (const file of files.filter((path) => RUNTIME_FILE.test(path) && !path.endsWith('tsconfig.json'))) cpSync(file, join(DIST, relative(ROOT, file)))
await prebundleK6Script()
declarations()
if (!existsSync(join(DIST, 'cli/main.js')) || !existsSync(join(DIST, 'index.d.ts'))) throw new Error('build: dist/ lacks cli/main.js or index.d.ts')
// On stderr: `npm pack --json` prints its answer on stdout.
console.error(`build: ${sources.length} modules into ${relative(ROOT, DIST)}/`)
