// Headless Chromium for the report tests, driven by playwright-core (which never downloads a browser).
// The browser comes from npm (test/helpers/bundled-chromium.ts), so a fresh machine needs only `npm ci`;
// LIKESTORM_CHROMIUM points at another one (a Mac's Chrome, Debian's /usr/bin/chromium) where the
// bundled linux/x64 build cannot run. A browser that cannot start fails the tests with its cause:
// it never turns them into a silent pass.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'
import { bundledChromium } from '../helpers/bundled-chromium.ts'

/** Headless, no sandbox (CI runs as root), nothing that phones home: this machine's network is closed,
 * and without these flags Chromium keeps trying it. Each launch also gets a fresh profile. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
]

export interface ChromiumExecutable {
  /** Where it came from, for messages. */
  readonly label: string
  readonly executablePath: string
}

/** LIKESTORM_CHROMIUM when set, else the Chromium bundled through npm. */
export async function chromiumExecutable(env: NodeJS.ProcessEnv = process.env): Promise<ChromiumExecutable> {
  const chosen = env['LIKESTORM_CHROMIUM']
  if (chosen !== undefined && chosen !== '') return { label: 'LIKESTORM_CHROMIUM', executablePath: chosen }
  try {
    return await bundledChromium()
  } catch (error) {
    throw new Error(`The bundled Chromium cannot be used: ${(error as Error).message}. Set LIKESTORM_CHROMIUM to a Chromium or Chrome executable.`, { cause: error })
  }
}

/** The libraries ldd's output says the dynamic loader cannot find ("libnss3.so => not found"). */
export function librariesNotFound(lddOutput: string): string[] {
  return lddOutput
    .split('\n')
    .filter((line) => line.includes('=> not found'))
    .map((line) => line.trim().split(/\s+/)[0] as string)
}

export interface Chromium {
  readonly context: BrowserContext
  close(): Promise<void>
}

export async function launchChromium({
  widthPx = 1440,
  heightPx = 900,
  executable,
}: { widthPx?: number; heightPx?: number; executable?: ChromiumExecutable } = {}): Promise<Chromium> {
  const { label, executablePath } = executable ?? (await chromiumExecutable())
  const profile = mkdtempSync(join(tmpdir(), 'likestorm-chromium-'))
  let context: BrowserContext
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      // This build takes its language from LANG: under LANG=C.UTF-8 (CI's) navigator.language is
      // 'en-US@posix', which Intl rejects, and uPlot's number format throws on it. Pin a real tag.
      locale: 'en-US',
      viewport: { width: widthPx, height: heightPx },
    })
  } catch (error) {
    rmSync(profile, { recursive: true, force: true })
    throw new Error(launchFailure({ label, executablePath, error: error as Error }), { cause: error })
  }
  return {
    context,
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

/** The message for a Chromium that did not start: which one, the libraries it lacks, and its own words. */
function launchFailure({ label, executablePath, error }: { label: string; executablePath: string; error: Error }): string {
  const ldd = spawnSync('ldd', [executablePath], { encoding: 'utf8' })
  const missing = ldd.error === undefined ? librariesNotFound(ldd.stdout) : []
  const libraries = missing.length > 0 ? ` It lacks the shared libraries ${missing.join(', ')} (ldd).` : ''
  return `Chromium (${label}: ${executablePath}) could not start.${libraries} Set LIKESTORM_CHROMIUM to a Chromium or Chrome that runs here.\n${error.message}`
}
