// The files an HTML report inlines (the I/O edge of the HTML renderers): uPlot's script and
// stylesheet from node_modules, our chart script and stylesheet from reports/html/. Read once per
// process; the renderers themselves stay pure and take these as an argument.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

export interface ReportAssets {
  readonly uplotJs: string
  readonly uplotCss: string
  readonly clientJs: string
  readonly css: string
}

let cached: ReportAssets | undefined

export function loadReportAssets(): ReportAssets {
  if (cached !== undefined) return cached
  const require = createRequire(import.meta.url)
  const own = (name: string): string => readFileSync(new URL(`./html/${name}`, import.meta.url), 'utf8')
  cached = {
    uplotJs: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    uplotCss: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    clientJs: own('report-client.js'),
    css: own('report.css'),
  }
  return cached
}

/** Script text safe inside <script>…</script>: no sequence in it can close the element early. */
export function inlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1')
}

/** Style text safe inside <style>…</style>. */
export function inlineStyle(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1')
}
