// Seeded randomness for the world. One run seed, many named streams: each consumer
// (population, traffic, bots, faker, ...) draws from its own stream, so adding draws
// in one consumer never shifts another's sequence (TigerBeetle's derived seeds).
import seedrandom from 'seedrandom'

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

class AleaStream implements RandomStream {
  readonly name: string
  private readonly prng: seedrandom.PRNG

  constructor(runSeed: number, name: string) {
    this.name = name
    this.prng = seedrandom.alea(`likestorm/${runSeed}/${name}`)
  }

  next(): number {
    return this.prng()
  }

  int(maxExclusive: number): number {
    return Math.floor(this.prng() * maxExclusive)
  }

  between(min: number, max: number): number {
    return min + this.prng() * (max - min)
  }

  chance(probability: number): boolean {
    return this.prng() < probability
  }

  exponential(mean: number): number {
    // 1 - u lies in (0, 1], so the log is finite.
    return -Math.log(1 - this.prng()) * mean
  }

  seed32(): number {
    return this.prng.int32() >>> 0
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

/** The run's source of randomness. Streams are memoised by name: asking twice returns the same stream. */
export class Rng {
  readonly seed: number
  private readonly streams = new Map<string, RandomStream>()

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new Error(`rng: seed must be a safe integer, got ${seed}`)
    this.seed = seed
  }

  stream(name: string): RandomStream {
    let stream = this.streams.get(name)
    if (stream === undefined) {
      stream = new AleaStream(this.seed, name)
      this.streams.set(name, stream)
    }
    return stream
  }
}
