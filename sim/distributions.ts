// Samplers for the heavy-tailed and bell-shaped quantities of the world.
import type { RandomStream } from './rng.ts'

/** Pareto with scale xMin and shape alpha: heavy-tailed activity (a few users do most of the clicking). */
export function pareto(stream: RandomStream, { xMin, alpha }: { xMin: number; alpha: number }): number {
  return xMin / Math.pow(1 - stream.next(), 1 / alpha)
}

/** Standard normal by Box–Muller (one draw per call; the twin is discarded to keep streams simple). */
export function standardNormal(stream: RandomStream): number {
  const u1 = 1 - stream.next()
  const u2 = stream.next()
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2)
}

/** Log-normal given its median and the sigma of the underlying normal. */
export function logNormal(stream: RandomStream, { median, sigma }: { median: number; sigma: number }): number {
  return median * Math.exp(sigma * standardNormal(stream))
}

/** Zipf weights 1/rank^s for ranks 1..n (YCSB's default s = 0.99). */
export function zipfWeights({ n, s }: { n: number; s: number }): Float64Array {
  const weights = new Float64Array(n)
  for (let rank = 1; rank <= n; rank++) weights[rank - 1] = 1 / Math.pow(rank, s)
  return weights
}

/** k distinct integers from [0, n), in draw order. */
export function sampleDistinct(stream: RandomStream, { n, k }: { n: number; k: number }): number[] {
  if (k > n) throw new Error(`sampleDistinct: cannot draw ${k} distinct values from ${n}`)
  const chosen = new Set<number>()
  const out: number[] = []
  while (out.length < k) {
    const value = stream.int(n)
    if (!chosen.has(value)) {
      chosen.add(value)
      out.push(value)
    }
  }
  return out
}
