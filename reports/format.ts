// Number formatting shared by the renderers: one place decides how a count, a latency, a ratio and
// a change read, so HTML, Markdown, JUnit and the terminal agree.

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US')
}

export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'n/a'
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`
  if (value >= 100) return `${value.toFixed(0)} ms`
  return `${value.toFixed(1)} ms`
}

/** A ratio in [0, 1] as a fixed-point number (precision, recall), or n/a. */
export function formatRatio(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined ? 'n/a' : value.toFixed(digits)
}

/** A share in [0, 1] as a percentage. */
export function formatShare(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value) ? 'n/a' : `${(100 * value).toFixed(digits)}%`
}

/** A relative change as a signed percentage: +12.5%. */
export function formatChangePct(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return 'n/a'
  const sign = value > 0 ? '+' : value < 0 ? '−' : '±'
  return `${sign}${Math.abs(value).toFixed(1)}%`
}

/** A change of a ratio in percentage points: +1.2 pt. */
export function formatChangePts(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return 'n/a'
  const sign = value > 0 ? '+' : value < 0 ? '−' : '±'
  return `${sign}${Math.abs(value).toFixed(1)} pt`
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000
  return Number.isInteger(s) ? `${s}s` : `${s.toFixed(1)}s`
}
