// Seeded randomness for the world. One run seed, many named streams: each consumer
// (population, traffic, bots, faker, ...) draws from its own stream, so adding draws
// in one consumer never shifts another's sequence (TigerBeetle's derived seeds).
import seedrandom from 'seedrandom'
import { DrawsFromNext, type RandomStream } from './random-stream.ts'

export type { RandomStream }

/** Where a stream stands: Alea's three lags and its carry. */
export interface StreamState {
  readonly c: number
  readonly s0: number
  readonly s1: number
  readonly s2: number
}

/**
 * Baagoe's Alea, as seedrandom implements it (seeded by seedrandom's own Mash, so the numbers are
 * seedrandom.alea's), with the state kept in the stream: a draw is then a few arithmetic
 * operations on fields rather than a call through a closure, and the state can be copied.
 */
class AleaStream extends DrawsFromNext {
  private c: number
  private s0: number
  private s1: number
  private s2: number

  constructor(name: string, state: StreamState) {
    super(name)
    this.c = state.c
    this.s0 = state.s0
    this.s1 = state.s1
    this.s2 = state.s2
  }

  state(): StreamState {
    return { c: this.c, s0: this.s0, s1: this.s1, s2: this.s2 }
  }

  next(): number {
    const t = 2091639 * this.s0 + this.c * 2.3283064365386963e-10 // 2^-32
    this.s0 = this.s1
    this.s1 = this.s2
    this.c = t | 0
    this.s2 = t - this.c
    return this.s2
  }
}

/** A run's randomness as plain data: its seed and where every stream drawn from so far stands. */
export interface RngSnapshot {
  readonly seed: number
  readonly streams: ReadonlyArray<readonly [string, StreamState]>
}

/** The run's source of randomness. Streams are memoised by name: asking twice returns the same stream. */
export class Rng {
  readonly seed: number
  private readonly streams = new Map<string, AleaStream>()

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new Error(`rng: seed must be a safe integer, got ${seed}`)
    this.seed = seed
  }

  stream(name: string): RandomStream {
    let stream = this.streams.get(name)
    if (stream === undefined) {
      stream = new AleaStream(name, seedrandom.alea(`likestorm/${this.seed}/${name}`, { state: true }).state())
      this.streams.set(name, stream)
    }
    return stream
  }

  /** The seed and every stream's position: `Rng.restore` of it (on another thread, say) draws on exactly as this one would. */
  snapshot(): RngSnapshot {
    return { seed: this.seed, streams: Array.from(this.streams, ([name, stream]) => [name, stream.state()] as const) }
  }

  static restore(snapshot: RngSnapshot): Rng {
    const rng = new Rng(snapshot.seed)
    for (const [name, state] of snapshot.streams) rng.streams.set(name, new AleaStream(name, state))
    return rng
  }
}
