// Debian's chromium driven by playwright-core (never a downloaded browser): headless, no sandbox
// (CI containers run as root), nothing that phones home, a fresh profile per launch.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

export const CHROMIUM_PATH = process.env['LIKESTORM_CHROMIUM'] ?? '/usr/bin/chromium'

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

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH)
}

export interface Chromium {
  readonly context: BrowserContext
  close(): Promise<void>
}

export async function launchChromium({ widthPx = 1440, heightPx = 900 }: { widthPx?: number; heightPx?: number } = {}): Promise<Chromium> {
  const profile = mkdtempSync(join(tmpdir(), 'likestorm-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: widthPx, height: heightPx },
  })
  return {
    context,
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

export async function withChromium<T>(use: (context: BrowserContext) => Promise<T>, size: { widthPx?: number; heightPx?: number } = {}): Promise<T> {
  const browser = await launchChromium(size)
  try {
    return await use(browser.context)
  } finally {
    await browser.close()
  }
}
