// The exact rank of float32 values in fixed memory: the same value a sort of them all gives.
import { describe, expect, it } from 'vitest'
import { Float32Rank } from '../../../sim/checks/float32-rank.ts'

/** Deterministic values: a small LCG, spread over magnitudes and signs. */
function values(count: number, seed: number): Float32Array {
  let state = seed
  const out = new Float32Array(count)
  for (let k = 0; k < count; k++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    const unit = state / 2 ** 32
    out[k] = seed % 2 === 0 ? unit ** 3 * 10_000 : unit * 200 - 100
  }
  return out
}

function rankOf(all: Float32Array, rank: number): number | null {
  const r = new Float32Rank()
  for (const v of all) r.countFirst(v)
  r.choose(rank)
  for (const v of all) r.countSecond(v)
  return r.value()
}

describe('Float32Rank', () => {
  it('finds the p99 a sort finds, for positive and negative values and repeats', () => {
    for (const [count, seed] of [[1, 2], [7, 3], [1000, 4], [20_000, 5], [20_000, 6]] as const) {
      const all = values(count, seed)
      const rank = Math.min(count - 1, Math.floor(count * 0.99))
      expect(rankOf(all, rank)).toBe(Array.from(all).sort((a, b) => a - b)[rank])
    }
    const repeated = Float32Array.from({ length: 500 }, (_, k) => (k < 495 ? 25.5 : 90))
    expect(rankOf(repeated, 494)).toBe(25.5)
    expect(rankOf(repeated, 495)).toBe(90)
  })

  it('has no value when there were none', () => {
    expect(rankOf(new Float32Array(0), -1)).toBe(null)
  })
})
