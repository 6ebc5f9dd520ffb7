// The shell of every HTML page the reports write: one self-contained file. A Content-Security-Policy
// forbids every fetch (no fonts, no scripts, no images from anywhere), so a report opened from
// disk, an artifact store or an e-mail makes no network request at all.
import { escapeHtml } from './escape.ts'
import { inlineScript, inlineStyle } from './report-assets.ts'

const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

export interface PageParts {
  readonly title: string
  readonly styles: readonly string[]
  readonly body: string
  /** Scripts run in order at the end of the body. */
  readonly scripts?: readonly string[]
  /** A <script type="application/json"> block, already escaped with jsonForScript. */
  readonly data?: { readonly id: string; readonly json: string }
}

export function htmlPage({ title, styles, body, scripts = [], data }: PageParts): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light">',
    '<link rel="icon" href="data:,">',
    `<title>${escapeHtml(title)}</title>`,
    ...styles.map((css) => `<style>\n${inlineStyle(css)}\n</style>`),
    '</head>',
    '<body>',
    body,
    ...(data === undefined ? [] : [`<script type="application/json" id="${escapeHtml(data.id)}">${data.json}</script>`]),
    ...scripts.map((js) => `<script>\n${inlineScript(js)}\n</script>`),
    '</body>',
    '</html>',
    '',
  ].join('\n')
}
