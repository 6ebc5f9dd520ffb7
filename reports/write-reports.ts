// Writing reports to disk (the I/O edge of reports/): next to a run's result.json go report.html,
// summary.md and junit.xml; an index of several runs goes to index.html with a combined
// summary.md and junit.xml beside it. Every file is written atomically (atomic-file.ts): a report
// is the old one or the new one, never half of either.
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import type { RunResult } from '../result/result.ts'
import { writeFileAtomic } from './atomic-file.ts'
import { renderHtmlIndex, type IndexHeadline } from './html-index.ts'
import { renderHtmlReport } from './html-report.ts'
import { renderJunitReport } from './junit-report.ts'
import { renderMarkdownIndex, renderMarkdownReport } from './markdown-report.ts'
import { loadReportAssets } from './report-assets.ts'

export interface ReportPaths {
  readonly html: string
  readonly markdown: string
  readonly junit: string
}

export const REPORT_FILES = { html: 'report.html', markdown: 'summary.md', junit: 'junit.xml', index: 'index.html' } as const

/** A relative link from a page in `fromDir` to `path`, with forward slashes on every platform. */
function href(fromDir: string, path: string): string {
  return relative(fromDir, path).split(sep).join('/')
}

function write(path: string, text: string): string {
  return writeFileAtomic(path, text)
}

/**
 * Write report.html, summary.md and junit.xml for one run into `dir` (created if missing) and
 * return their paths. `indexHtml` (a path) adds a link back to an index page.
 */
export function writeReports(result: RunResult, dir: string, { indexHtml }: { indexHtml?: string } = {}): ReportPaths {
  mkdirSync(dir, { recursive: true })
  const paths = { html: join(dir, REPORT_FILES.html), markdown: join(dir, REPORT_FILES.markdown), junit: join(dir, REPORT_FILES.junit) }
  const links = {
    markdown: REPORT_FILES.markdown,
    junit: REPORT_FILES.junit,
    ...(existsSync(join(dir, 'result.json')) ? { result: 'result.json' } : {}),
    ...(indexHtml === undefined ? {} : { index: href(dir, indexHtml) }),
  }
  write(paths.html, renderHtmlReport(result, loadReportAssets(), links))
  write(paths.markdown, renderMarkdownReport(result, { htmlHref: REPORT_FILES.html }))
  write(paths.junit, renderJunitReport([result]))
  return paths
}

/**
 * Write index.html for several runs into `dir`, with a combined summary.md and junit.xml beside it,
 * and link every run's report.html back to it (they are rendered again with the link). `entries[i]`
 * are the paths writeReports returned for `results[i]`. Returns the path of index.html.
 */
export function writeIndex(results: readonly RunResult[], dir: string, entries: readonly ReportPaths[], { title, headline }: { title?: string; headline?: IndexHeadline } = {}): string {
  if (results.length !== entries.length) throw new Error(`writeIndex: ${results.length} results but ${entries.length} report entries`)
  mkdirSync(dir, { recursive: true })
  const indexPath = join(dir, REPORT_FILES.index)
  const rows = results.map((result, i) => {
    const paths = entries[i] as ReportPaths
    return { result, paths, htmlHref: href(dir, paths.html), markdownHref: href(dir, paths.markdown), junitHref: href(dir, paths.junit) }
  })
  for (const { result, paths } of rows) writeReports(result, dirname(paths.html), { indexHtml: indexPath })
  write(join(dir, REPORT_FILES.junit), renderJunitReport(results))
  write(join(dir, REPORT_FILES.markdown), renderMarkdownIndex(rows, { indexHref: REPORT_FILES.index }))
  return write(indexPath, renderHtmlIndex(rows, loadReportAssets(), { junitHref: REPORT_FILES.junit, markdownHref: REPORT_FILES.markdown, ...(title === undefined ? {} : { title }), ...(headline === undefined ? {} : { headline }) }))
}
