// Downsampling of time series for charts. The runner already writes at most 600 points per series;
// the renderer caps again so any saved or hand-made result renders in bounded size and time.

/** How the points of one output bucket combine: rates average, counts add, the worst latency wins. */
export type Combine = 'mean' | 'sum' | 'min' | 'max' | 'last'

/** Most points per chart series in an HTML report. */
export const MAX_CHART_POINTS = 600

/** Input points per output point so that at most `maxPoints` remain. */
export function downsampleFactor(length: number, maxPoints = MAX_CHART_POINTS): number {
  return Math.max(1, Math.ceil(length / maxPoints))
}

/** Combine every `factor` consecutive points; nulls (no data) are skipped, a bucket of nulls stays null. */
export function downsample(values: readonly (number | null)[], factor: number, how: Combine): (number | null)[] {
  if (factor <= 1) return [...values]
  const out: (number | null)[] = []
  for (let first = 0; first < values.length; first += factor) {
    let acc: number | null = null
    let n = 0
    for (let i = first; i < Math.min(values.length, first + factor); i++) {
      const v = values[i]
      if (v === null || v === undefined || !Number.isFinite(v)) continue
      n++
      acc = acc === null ? v : how === 'min' ? Math.min(acc, v) : how === 'max' ? Math.max(acc, v) : how === 'last' ? v : acc + v
    }
    out.push(acc !== null && how === 'mean' ? acc / n : acc)
  }
  return out
}
