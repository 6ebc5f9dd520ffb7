// A generated report in real headless Chromium (from npm, see ./chromium.ts, through playwright-core): every
// chart draws, the fault windows and purges are on every chart, examples mark their moment, zoom is
// shared, and the page logs no error and makes no request beyond its own file. Screenshots go to
// out/test-artifacts/. Also where that Chromium comes from, and that one that cannot start fails these
// tests loudly with its cause instead of letting them pass unrun.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeReports } from '../../reports/write-reports.ts'
import { bundledChromiumUnsupported } from '../helpers/bundled-chromium.ts'
import { chromiumExecutable, launchChromium, librariesNotFound, type Chromium } from './chromium.ts'
import { ARTIFACTS_DIR, smallResult } from './fixtures.ts'

interface PageReport {
  readonly consoleErrors: string[]
  readonly requests: string[]
}

/** Open a report and wait until its script says every chart is drawn. */
async function open(page: Page, path: string): Promise<PageReport> {
  const seen: PageReport = { consoleErrors: [], requests: [] }
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') seen.consoleErrors.push(`${message.type()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => seen.consoleErrors.push(`pageerror: ${error.message}`))
  page.on('request', (request) => seen.requests.push(request.url()))
  await page.goto(pathToFileURL(path).href)
  await page.waitForSelector('html[data-charts-ready]', { timeout: 15_000 })
  return seen
}

/** Per chart card: drawn pixels on its canvas (non-transparent) and overlay elements. */
async function chartStats(page: Page): Promise<{ id: string; canvases: number; inkedPixels: number; totalPixels: number; bands: number; bandLabels: string[]; purgeMarkers: number }[]> {
  return page.$$eval('.chart-card', (cards) =>
    cards.map((card) => {
      const canvas = card.querySelector('canvas')
      let inkedPixels = 0
      let totalPixels = 0
      if (canvas !== null) {
        // The page's own 2d context (uPlot drew into it); DOM types are not in this project's lib.
        const context = canvas.getContext('2d') as unknown as { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } }
        const data = context.getImageData(0, 0, canvas.width, canvas.height).data
        totalPixels = data.length / 4
        for (let i = 3; i < data.length; i += 4) if ((data[i] as number) > 0) inkedPixels++
      }
      const bands = [...card.querySelectorAll('.fault-band')].filter((band) => band.getBoundingClientRect().width > 0)
      return {
        id: card.getAttribute('data-chart') ?? '',
        canvases: card.querySelectorAll('canvas').length,
        inkedPixels,
        totalPixels,
        bands: bands.length,
        bandLabels: [...card.querySelectorAll('.fault-label')].map((label) => label.textContent ?? ''),
        purgeMarkers: card.querySelectorAll('.purge-marker').length,
      }
    }),
  )
}

describe('the HTML report in headless Chromium', () => {
  const dir = join(ARTIFACTS_DIR, 'reports')
  let naiveHtml = ''
  let purgeHtml = ''
  let browser: Chromium | undefined

  /** A fresh page in the one browser this file launches, closed after `use`. */
  async function withPage(use: (page: Page) => Promise<void>): Promise<void> {
    const page = await (browser as Chromium).context.newPage()
    try {
      await use(page)
    } finally {
      await page.close()
    }
  }

  afterAll(async () => {
    await browser?.close()
  })

  beforeAll(async () => {
    mkdirSync(ARTIFACTS_DIR, { recursive: true })
    naiveHtml = writeReports(smallResult('overload-virginia', { strategy: 'naive', scale: 0.3 }), join(dir, 'overload-virginia-naive')).html
    purgeHtml = writeReports(smallResult('bot-purge'), join(dir, 'bot-purge-robust')).html
    browser = await launchChromium()
  })

  it('draws every chart of the 2020 overload with the fault window on each, no console error, no request', async () => {
    await withPage(async (page) => {
      const seen = await open(page, naiveHtml)
      const stats = await chartStats(page)
      expect(stats.length).toBeGreaterThanOrEqual(7)
      expect(await page.getAttribute('html', 'data-charts-ready')).toBe(String(stats.length))
      for (const chart of stats) {
        expect(chart.canvases, chart.id).toBe(1)
        // Axes, grid and series ink a visible share of the canvas; a blank canvas has none.
        expect(chart.inkedPixels / chart.totalPixels, chart.id).toBeGreaterThan(0.01)
        expect(chart.bands, chart.id).toBe(1)
        expect(chart.bandLabels, chart.id).toEqual(['overload us-east x3.5 [30s-100s]'])
      }
      expect(await page.textContent('[data-verdict]')).toBe('FAIL')
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'report-overload-virginia-naive.png'), fullPage: false })
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'report-overload-virginia-naive-full.png'), fullPage: true })
      expect(seen.consoleErrors).toEqual([])
      expect(seen.requests).toEqual([pathToFileURL(naiveHtml).href])
    })
  })

  it('marks purges on every chart and draws the detection chart and confusion matrix', async () => {
    await withPage(async (page) => {
      const seen = await open(page, purgeHtml)
      const stats = await chartStats(page)
      expect(stats.map((c) => c.id)).toContain('purges')
      for (const chart of stats) {
        expect(chart.inkedPixels / chart.totalPixels, chart.id).toBeGreaterThan(0.01)
        expect(chart.purgeMarkers, chart.id).toBe(1)
        expect(chart.bands, chart.id).toBe(1)
      }
      expect(await page.locator('#confusion tbody tr').count()).toBeGreaterThanOrEqual(4)
      await page.locator('#detection').screenshot({ path: join(ARTIFACTS_DIR, 'report-bot-purge-detection.png') })
      expect(seen.consoleErrors).toEqual([])
      expect(seen.requests).toEqual([pathToFileURL(purgeHtml).href])
    })
  })

  it('zooms every chart when one is zoomed; marks a clicked check example on every chart', async () => {
    await withPage(async (page) => {
      const seen = await open(page, naiveHtml)
      const bandLeft = (): Promise<number> => page.locator('[data-chart="latency"] .fault-band').evaluate((band) => band.getBoundingClientRect().left)
      const before = await bandLeft()
      await page.locator('[data-chart="rate"]').scrollIntoViewIfNeeded()
      const plot = (await page.locator('[data-chart="rate"] .u-over').boundingBox()) as { x: number; y: number; width: number; height: number }
      await page.mouse.move(plot.x + plot.width * 0.1, plot.y + plot.height / 2)
      await page.mouse.down()
      await page.mouse.move(plot.x + plot.width * 0.5, plot.y + plot.height / 2, { steps: 5 })
      await page.mouse.up()
      // Zoomed to about a tenth..half of the run on the rate chart: the latency chart's window moved with it.
      expect(Math.abs((await bandLeft()) - before)).toBeGreaterThan(10)
      await page.click('[data-action="reset-zoom"]')
      expect(await bandLeft()).toBeCloseTo(before, 0)

      const example = page.locator('details.check[data-check="never-zero"] details.example').first()
      await example.locator('summary').click()
      await example.locator('[data-action="show-example"]').click()
      expect(await page.locator('.example-marker').count()).toBe(await page.locator('.chart-card').count())
      expect(seen.consoleErrors).toEqual([])
    })
  })
})

describe('the Chromium these tests drive', () => {
  // Elsewhere (a Mac) chromiumExecutable() fails loudly unless LIKESTORM_CHROMIUM is set; the next test shows the message.
  it.skipIf(bundledChromiumUnsupported() !== undefined)('is the one bundled in node_modules unless LIKESTORM_CHROMIUM names another', async () => {
    const bundled = await chromiumExecutable({})
    expect(bundled.label).toMatch(/^@sparticuz\/chromium@\d+\.\d+\.\d+$/)
    expect(bundled.executablePath).toContain('node_modules')
    expect(await chromiumExecutable({ LIKESTORM_CHROMIUM: '/opt/chrome/chrome' })).toEqual({ label: 'LIKESTORM_CHROMIUM', executablePath: '/opt/chrome/chrome' })
  })

  it('says on which platforms the bundled build cannot run', () => {
    expect(bundledChromiumUnsupported('linux', 'x64')).toBeUndefined()
    expect(bundledChromiumUnsupported('darwin', 'arm64')).toBe('@sparticuz/chromium ships a Chromium for linux/x64 only, and this is darwin/arm64')
    expect(bundledChromiumUnsupported('linux', 'arm64')).toContain('linux/arm64')
  })

  it('fails the launch when it cannot start, naming the browser, the way out and its own error', async () => {
    const launch = launchChromium({ executable: { label: 'LIKESTORM_CHROMIUM', executablePath: '/bin/false' } })
    await expect(launch).rejects.toThrow(/^Chromium \(LIKESTORM_CHROMIUM: \/bin\/false\) could not start\. Set LIKESTORM_CHROMIUM to a Chromium or Chrome that runs here\.\n.*launch/s)
  })

  it('names the shared libraries the loader cannot find', () => {
    const ldd = ['\tlinux-vdso.so.1 (0x00007ffd)', '\tlibnss3.so => not found', '\tlibdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007f5a)', '\tlibnspr4.so => not found'].join('\n')
    expect(librariesNotFound(ldd)).toEqual(['libnss3.so', 'libnspr4.so'])
    expect(librariesNotFound('\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x1)')).toEqual([])
  })
})
