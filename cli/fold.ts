// Fitting terminal text to a width (pure): the default output of run, tour and swarm keeps every
// line within LINE_WIDTH columns, so a CI log or an 80-120 column terminal shows it unwrapped.
// Text is folded between words, never inside one: a check name, a path or a command is never cut
// in two (a path longer than a line keeps its own line, over the width, rather than break).

/** The widest line the default output prints. */
export const LINE_WIDTH = 120

/**
 * Lay `tokens` out, joined by single spaces, on lines of at most `width` columns: the first line
 * starts with `first`, the next ones with `indent`. A token is never split.
 */
export function foldTokens(tokens: readonly string[], { first = '', indent = '  ', width = LINE_WIDTH }: { first?: string; indent?: string; width?: number } = {}): string[] {
  const lines: string[] = []
  let line = first
  let empty = true
  for (const token of tokens) {
    if (token === '') continue
    if (!empty && line.length + 1 + token.length > width) {
      lines.push(line)
      line = indent + token
    } else {
      line = empty ? line + token : `${line} ${token}`
    }
    empty = false
  }
  lines.push(line)
  return lines
}

/**
 * `head` (its last line, if several), then `tokens` after it when they all fit on that line, else on the lines below it, each
 * starting with `indent`: a list is never split between the head's line and the next.
 */
export function headThenTokens(head: string, tokens: readonly string[], { indent, width = LINE_WIDTH }: { indent: string; width?: number }): string {
  if (tokens.length === 0) return head
  const lastLine = head.slice(head.lastIndexOf('\n') + 1)
  if (foldTokens(tokens, { first: `${lastLine}  `, width }).length === 1) return `${head}  ${tokens.join(' ')}`
  return [head, ...foldTokens(tokens, { first: indent, indent, width })].join('\n')
}

/** A line of prose folded between words (a leading indent is kept on every line; later lines get `extraIndent` more). */
export function foldText(text: string, { width = LINE_WIDTH, extraIndent = '  ' }: { width?: number; extraIndent?: string } = {}): string {
  const lead = /^ */.exec(text)?.[0] ?? ''
  return foldTokens(text.slice(lead.length).split(' '), { first: lead, indent: lead + extraIndent, width }).join('\n')
}

/** Names as tokens for foldTokens: `label` before the first, a comma after each but the last. */
export function listTokens(label: string, names: readonly string[]): string[] {
  return names.map((name, i) => `${i === 0 && label !== '' ? `${label} ` : ''}${name}${i < names.length - 1 ? ',' : ''}`)
}

/** Lists of tokens (listTokens) in a row, a semicolon between one list and the next; empty lists drop out. */
export function joinLists(lists: readonly (readonly string[])[]): string[] {
  const present = lists.filter((list) => list.length > 0)
  return present.flatMap((list, i) => (i === present.length - 1 ? list : [...list.slice(0, -1), `${list[list.length - 1] as string};`]))
}

/** The line cut to `width` columns, ending with an ellipsis when cut (for text whose whole is in a report). */
export function cutLine(line: string, width = LINE_WIDTH): string {
  return line.length <= width ? line : `${line.slice(0, width - 1).trimEnd()}…`
}
