// A small seeded generator for the client's backoff jitter inside k6 (the core's mulberry32): the
// client policy takes a RandomStream, and the world's alea streams (seedrandom) are not worth
// bundling for a jitter. Each VU seeds its own from the export's seed and its VU id.
import { Mulberry32 as Generator } from '../../../mock-server/core/jitter.ts'
import { DrawsFromNext } from '../../../sim/random-stream.ts'

export class Mulberry32 extends DrawsFromNext {
  private readonly generator: Generator

  constructor(name: string, seed: number) {
    super(name)
    this.generator = new Generator(seed)
  }

  next(): number {
    return this.generator.next()
  }
}
