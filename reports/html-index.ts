// The index page when several runs were reported (a tour, or `likestorm run` with several
// scenarios): one row per run with its verdict, how it was driven (mode, scale, time scale), whether
// it matched its expectation, the failing checks, a few figures and links to its reports (pure).
import type { RunResult } from '../result/result.ts'
import { escapeHtml } from './escape.ts'
import { formatCount, formatMs } from './format.ts'
import { htmlPage } from './html-page.ts'
import { shedCount } from './key-figures.ts'
import type { ReportAssets } from './report-assets.ts'
import { verdictOf } from './verdict.ts'

export interface IndexEntry {
  readonly result: RunResult
  /** Links relative to the index page. */
  readonly htmlHref: string
  readonly markdownHref?: string
  readonly junitHref?: string
}

const e = escapeHtml

/** What the page says on top instead of its own count of the rows: for an index of some runs of a larger whole (a merged swarm lists only its failed runs). */
export interface IndexHeadline {
  readonly badge: string
  readonly ok: boolean
  readonly summary: string
}

export function renderHtmlIndex(
  entries: readonly IndexEntry[],
  assets: Pick<ReportAssets, 'css'>,
  { title = 'LikeStorm runs', junitHref, markdownHref, headline }: { title?: string; junitHref?: string; markdownHref?: string; headline?: IndexHeadline } = {},
): string {
  const failed = entries.filter((entry) => entry.result.verdict === 'fail').length
  const inconclusive = entries.filter((entry) => entry.result.verdict === 'inconclusive').length
  const unexpected = entries.filter((entry) => verdictOf(entry.result).matched === false).length
  const withExpectation = entries.filter((entry) => verdictOf(entry.result).matched !== null).length
  const ok = headline?.ok ?? (unexpected === 0 && (withExpectation === entries.length || failed === 0))
  const badge = headline?.badge ?? (ok ? 'AS EXPECTED' : unexpected > 0 ? 'UNEXPECTED' : 'FAIL')
  const summary =
    headline?.summary ??
    (withExpectation > 0
      ? `${entries.length} run(s): ${entries.length - failed - inconclusive} passed, ${failed} failed${inconclusive > 0 ? `, ${inconclusive} inconclusive` : ''}; ${unexpected === 0 ? `every run with an expectation matched it` : `${unexpected} did NOT match their expected outcome`}.`
      : `${entries.length} run(s): ${entries.length - failed - inconclusive} passed, ${failed} failed${inconclusive > 0 ? `, ${inconclusive} inconclusive` : ''}.`)
  const links = [junitHref === undefined ? '' : `<a href="${e(junitHref)}">junit.xml</a>`, markdownHref === undefined ? '' : `<a href="${e(markdownHref)}">summary.md</a>`].filter((l) => l !== '')
  const body = `<main>
<header class="verdict-bar ${ok ? 'pass' : 'fail'}">
<span class="badge ${ok ? 'pass' : 'fail'}">${e(badge)}</span>
<div><h1>${e(title)}</h1><div class="meta"><span>${e(summary)}</span>${links.map((l) => `<span>${l}</span>`).join('')}</div></div>
</header>
<h2>Runs</h2>
<table class="data runs" id="runs">
<thead><tr><th>verdict</th><th>scenario</th><th>strategy</th><th>mode</th><th>scale</th><th>seed</th><th>failed checks</th><th>as expected</th><th>operations</th><th>p99</th><th>shed</th><th>reports</th></tr></thead>
<tbody>
${entries.map(row).join('\n')}
</tbody>
</table>
<footer>Each report is built from its result.json alone; rebuild with <code>npx likestorm report &lt;result.json…&gt;</code>.</footer>
</main>`
  return htmlPage({ title, styles: [assets.css], body })
}

function row({ result, htmlHref, markdownHref, junitHref }: IndexEntry): string {
  const verdict = verdictOf(result)
  const cls = verdict.verdict
  const expected = verdict.matched === null ? '–' : verdict.matched ? 'yes' : '<b style="color:var(--warn)">NO</b>'
  const links = [`<a href="${e(htmlHref)}">HTML</a>`]
  if (markdownHref !== undefined) links.push(`<a href="${e(markdownHref)}">Markdown</a>`)
  if (junitHref !== undefined) links.push(`<a href="${e(junitHref)}">JUnit</a>`)
  return `<tr><td class="verdict ${cls}">${verdict.label}</td><td><a href="${e(htmlHref)}">${e(result.scenario.name)}</a><div class="muted" style="font-size:0.8rem">${e(result.scenario.title)}</div></td><td>${e(result.strategy.name)}</td><td>${e(result.mode)}</td><td style="white-space:nowrap">${e(scaleCell(result))}</td><td>${result.seed}</td><td>${e(verdict.failedChecks.join(', ') || '–')}</td><td>${expected}</td><td>${formatCount(result.metrics.operations)}</td><td>${formatMs(result.metrics.latencyMs.p99Ms)}</td><td>${formatCount(shedCount(result))}</td><td>${links.join(' · ')}</td></tr>`
}

/** The scale the run was driven at; in mode http, the time scale too (0.5: twice as fast as real time). */
export function scaleCell(result: Pick<RunResult, 'mode' | 'scale' | 'config'>): string {
  const timeScale = result.mode === 'http' ? result.config.http?.timeScale : undefined
  return timeScale === undefined ? String(result.scale) : `${result.scale} · time ${timeScale}`
}
