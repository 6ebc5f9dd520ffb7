// The core's own seeded generator for service-time jitter (mulberry32): time and randomness are
// handed to the core, never read from the environment.

/** mulberry32: a 32-bit state, uniform numbers in [0, 1). No imports: the k6 bundle uses it too. */
export class Mulberry32 {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export class Jitter extends Mulberry32 {
  constructor(seed: number) {
    super(seed ^ 0x9e3779b9)
  }

  exponential(meanMs: number): number {
    return -Math.log(1 - this.next()) * meanMs
  }
}
