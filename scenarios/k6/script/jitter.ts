// A small seeded generator for the client's backoff jitter inside k6 (mulberry32): the client
// policy takes a RandomStream, and the world's alea streams (seedrandom) are not worth bundling
// for a jitter. Each VU seeds its own from the export's seed and its VU id.
import type { RandomStream } from '../../../sim/rng.ts'

export class Mulberry32 implements RandomStream {
  readonly name: string
  private state: number

  constructor(name: string, seed: number) {
    this.name = name
    this.state = seed >>> 0
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

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
    return -Math.log(1 - this.next()) * mean
  }

  seed32(): number {
    return Math.floor(this.next() * 4294967296) >>> 0
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error(`${this.name}: pick from an empty list`)
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
