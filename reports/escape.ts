// Escaping for every output format the reports write. Result text (scenario titles, check
// messages, ids) is data, never markup: each renderer passes it through one of these.

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text for an HTML element body or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string)
}

// XML 1.0 forbids most control characters even as references; they are dropped.
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g

/** Text for an XML element body or a double-quoted attribute (newlines kept as references in attributes). */
export function escapeXml(text: string, { attribute = false }: { attribute?: boolean } = {}): string {
  const escaped = text.replace(XML_INVALID, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return attribute ? escaped.replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;') : escaped
}

/** Text inside one cell of a GitHub-flavoured Markdown table: no pipes, no line breaks, no HTML. */
export function escapeMarkdownCell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`)
}

/** Inline code in Markdown: a fence longer than any backtick run inside. */
export function markdownCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longest + 1)
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${text}${pad}${fence}`
}

/**
 * JSON safe inside an HTML <script> element: `<`, `>` and `&` as unicode escapes so no `</script>`
 * or `<!--` can close or confuse it, and the two line separators JavaScript once rejected.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}
