// Vose's alias method: O(n) build, O(1) weighted sampling. Used for Zipf video popularity and
// heavy-tailed user activity, where the sim draws millions of times.
import type { RandomStream } from './rng.ts'

export class AliasTable {
  readonly size: number
  private readonly probability: Float64Array
  private readonly alias: Int32Array

  constructor(weights: ArrayLike<number>) {
    const n = weights.length
    if (n === 0) throw new Error('alias table: no weights')
    let total = 0
    for (let i = 0; i < n; i++) {
      const w = weights[i] as number
      if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`alias table: weight ${i} is ${w}`)
      total += w
    }
    if (total <= 0) throw new Error('alias table: weights sum to zero')
    this.size = n
    this.probability = new Float64Array(n)
    this.alias = new Int32Array(n)
    const scaled = new Float64Array(n)
    const small: number[] = []
    const large: number[] = []
    for (let i = 0; i < n; i++) {
      scaled[i] = ((weights[i] as number) * n) / total
      if ((scaled[i] as number) < 1) small.push(i)
      else large.push(i)
    }
    while (small.length > 0 && large.length > 0) {
      const s = small.pop() as number
      const l = large.pop() as number
      this.probability[s] = scaled[s] as number
      this.alias[s] = l
      scaled[l] = (scaled[l] as number) + (scaled[s] as number) - 1
      if ((scaled[l] as number) < 1) small.push(l)
      else large.push(l)
    }
    for (const i of large) this.probability[i] = 1
    for (const i of small) this.probability[i] = 1 // numerical leftovers
  }

  sample(stream: RandomStream): number {
    const u = stream.next() * this.size
    const column = Math.floor(u)
    return u - column < (this.probability[column] as number) ? column : (this.alias[column] as number)
  }
}
