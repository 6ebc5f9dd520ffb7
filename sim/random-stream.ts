// A stream of uniform numbers and the draws every consumer makes from it. The generators differ
// (the world's Alea streams, the k6 script's small mulberry32); the draws built on `next()` are
// written once, here. No imports: the k6 bundle takes this file as it is.

export interface RandomStream {
  readonly name: string
  /** Uniform in [0, 1). */
  next(): number
  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number
  /** Uniform in [min, max). */
  between(min: number, max: number): number
  chance(probability: number): boolean
  /** Exponential waiting time with the given mean. */
  exponential(mean: number): number
  /** A 32-bit unsigned seed for a dependent generator (faker). */
  seed32(): number
  pick<T>(items: readonly T[]): T
  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[]
}

/** Every draw of a RandomStream, from the generator's `next()`. */
export abstract class DrawsFromNext implements RandomStream {
  readonly name: string

  constructor(name: string) {
    this.name = name
  }

  abstract next(): number

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive)
  }

  between(min: number, max: number): number {
    return min + this.next() * (max - min)
  }

  chance(probability: number): boolean {
    return this.next() < probability
  }

  exponential(mean: number): number {
    // 1 - u lies in (0, 1], so the log is finite.
    return -Math.log(1 - this.next()) * mean
  }

  seed32(): number {
    return ((this.next() * 0x100000000) | 0) >>> 0
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error(`rng stream ${this.name}: pick from an empty list`)
    return items[this.int(items.length)] as T
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const held = items[i] as T
      items[i] = items[j] as T
      items[j] = held
    }
    return items
  }
}
