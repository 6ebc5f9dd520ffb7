// The core's own seeded generator for service-time jitter (mulberry32): time and randomness are
// handed to the core, never read from the environment.

export class Jitter {
  private state: number

  constructor(seed: number) {
    this.state = (seed ^ 0x9e3779b9) >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  exponential(meanMs: number): number {
    return -Math.log(1 - this.next()) * meanMs
  }
}
