// k6 duration strings ("90s", "1m30s", "500ms", "2h") to milliseconds. A bare number is taken as
// milliseconds, as k6 does for numeric durations.

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** Milliseconds, or undefined when the text is not a k6 duration. */
export function parseDurationMs(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined
  const text = value.trim()
  if (text === '') return undefined
  const part = /(\d+(?:\.\d+)?)(ms|h|m|s)/y
  let total = 0
  let position = 0
  while (position < text.length) {
    part.lastIndex = position
    const match = part.exec(text)
    if (match === null) return undefined
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number)
    position = part.lastIndex
  }
  return total
}

export function formatDurationS(seconds: number): string {
  return Number.isInteger(seconds) ? `${seconds}s` : `${Math.round(seconds * 1000)}ms`
}
