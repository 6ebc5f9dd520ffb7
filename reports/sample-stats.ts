// A sample's mean, sample standard deviation, range and the confidence interval of its mean by
// Student's t: the honest interval for a handful of seeds (with 5 seeds the 95% factor is 2.78,
// not the normal 1.96). Pure; the t quantile is computed, not looked up, so any n works.

export interface SampleStats {
  /** Values in the sample. */
  readonly n: number
  readonly mean: number
  /** Sample standard deviation (n - 1 in the denominator); null for a single value. */
  readonly sd: number | null
  readonly min: number
  readonly max: number
  /** The confidence interval of the mean: mean ± t(1 - (1 - level) / 2, n - 1) · sd / √n; null for a single value. */
  readonly ci: { readonly low: number; readonly high: number } | null
}

/** The statistics of `values` at confidence `level` (0.95: a 95% interval); null for an empty sample. */
export function sampleStats(values: readonly number[], { level = 0.95 }: { level?: number } = {}): SampleStats | null {
  const n = values.length
  if (n === 0) return null
  const mean = values.reduce((sum, value) => sum + value, 0) / n
  const min = Math.min(...values)
  const max = Math.max(...values)
  if (n === 1) return { n, mean, sd: null, min, max, ci: null }
  const sd = Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1))
  const half = studentTQuantile(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n))
  return { n, mean, sd, min, max, ci: { low: mean - half, high: mean + half } }
}

/** The p quantile (0.5 < p < 1) of Student's t with `df` degrees of freedom, by bisection on its distribution function. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0.5 && p < 1) || !(df >= 1)) throw new RangeError(`studentTQuantile: p must be in (0.5, 1) and df ≥ 1 (got p ${p}, df ${df})`)
  const tail = 1 - p
  // The upper tail falls as t grows; 1e6 is beyond any quantile asked of a 95% or 99.9% interval.
  let low = 0
  let high = 1e6
  for (let i = 0; i < 200 && high - low > 1e-12 * high; i++) {
    const mid = (low + high) / 2
    if (studentTUpperTail(mid, df) > tail) low = mid
    else high = mid
  }
  return (low + high) / 2
}

/** P(T > t) for t ≥ 0: half the regularized incomplete beta I(df / (df + t²); df/2, 1/2). */
function studentTUpperTail(t: number, df: number): number {
  return 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5)
}

/** I_x(a, b) by its continued fraction (Lentz), on the side where it converges fast. */
function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0
  if (x >= 1) return 1
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x))
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(x, a, b)) / a
  return 1 - (front * betaFraction(1 - x, b, a)) / b
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300
  let c = 1
  let d = 1 - ((a + b) * x) / (a + 1)
  d = 1 / (Math.abs(d) < tiny ? tiny : d)
  let h = d
  for (let m = 1; m <= 300; m++) {
    for (const numerator of [(m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)), (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))]) {
      d = 1 + numerator * d
      d = 1 / (Math.abs(d) < tiny ? tiny : d)
      c = 1 + numerator / c
      if (Math.abs(c) < tiny) c = tiny
      h *= d * c
    }
    if (Math.abs(d * c - 1) < 1e-15) break
  }
  return h
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: about 15 significant digits). */
function logGamma(x: number): number {
  const coefficients = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7]
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x)
  const z = x - 1
  let sum = coefficients[0] as number
  for (let i = 1; i < coefficients.length; i++) sum += (coefficients[i] as number) / (z + i)
  const t = z + 7.5
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum)
}
