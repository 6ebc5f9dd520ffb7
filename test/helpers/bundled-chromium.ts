// The headless Chromium that ships inside the npm package @sparticuz/chromium (a brotli-compressed
// chrome-headless-shell for Linux x64, ~67 MB packed), so `npm ci` alone brings the browser the report
// tests need: no apt-get, no browser download at install or run time (playwright-core never downloads
// one). Beside glibc and libgcc it links only libnss3, libnspr4 and libexpat (ldd), which Debian's base
// image has, and it renders text with the system's fontconfig fonts. Chosen because it is the kept
// one of its kind (a release per Chromium version, millions of downloads a month); the alternatives
// fetch a browser at install time (@playwright/browser-chromium, puppeteer), which a machine that
// reaches only the npm registry cannot, or need apt-get (Debian's chromium).
//
// We inflate the package's bin/chromium.br ourselves instead of calling its executablePath(): that one
// writes to a fixed os.tmpdir()/chromium shared by every checkout, returns whatever file is already
// there (no version check; a half-written file from a concurrent test run counts as done) and unpacks
// SwiftShader's libraries loose into /tmp. Here the binary goes to a folder named after the package
// version under node_modules/.cache, through a temporary file renamed into place, so concurrent runs,
// upgrades and a killed extraction never leave a wrong or partial binary behind. None of the package's
// JavaScript runs, so its engines field (Node 22+; npm ci warns on our Node 20) does not apply to us.
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createBrotliDecompress } from 'node:zlib'

const PACKAGE = '@sparticuz/chromium'
const PROJECT_ROOT = join(import.meta.dirname, '..', '..')

export interface BundledChromium {
  /** What it is, for messages: the package and its version. */
  readonly label: string
  readonly executablePath: string
}

/** Why the bundled build cannot be used on this platform, or undefined when it can. */
export function bundledChromiumUnsupported(platform: string = process.platform, arch: string = process.arch): string | undefined {
  if (platform === 'linux' && arch === 'x64') return undefined
  return `${PACKAGE} ships a Chromium for linux/x64 only, and this is ${platform}/${arch}`
}

let found: Promise<BundledChromium> | undefined

/** The package's Chromium, inflated once per package version (a few seconds, ~210 MB on disk). */
export function bundledChromium(): Promise<BundledChromium> {
  found ??= locate()
  return found
}

async function locate(): Promise<BundledChromium> {
  const unsupported = bundledChromiumUnsupported()
  if (unsupported !== undefined) throw new Error(unsupported)
  // The package exports only its entry (build/index.js); bin/ sits beside build/.
  const packageDir = join(dirname(createRequire(import.meta.url).resolve(PACKAGE)), '..')
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }
  const label = `${PACKAGE}@${version}`
  const packed = join(packageDir, 'bin', 'chromium.br')
  if (!existsSync(packed)) throw new Error(`${label} has no ${packed}: run npm ci`)
  const dir = join(PROJECT_ROOT, 'node_modules', '.cache', 'likestorm', `chromium-${version}`)
  const executablePath = join(dir, 'chromium')
  if (!existsSync(executablePath)) await inflate({ packed, executablePath })
  return { label, executablePath }
}

async function inflate({ packed, executablePath }: { packed: string; executablePath: string }): Promise<void> {
  mkdirSync(dirname(executablePath), { recursive: true })
  const partial = `${executablePath}.${process.pid}.partial`
  try {
    await pipeline(createReadStream(packed), createBrotliDecompress(), createWriteStream(partial, { mode: 0o755 }))
    // Atomic on one file system: a reader sees no file or the whole binary, never a part.
    renameSync(partial, executablePath)
  } finally {
    rmSync(partial, { force: true })
  }
}
