// The counter cache, a dependency with its own capacity (a fluid queue like the front door) and a
// client-side timeout. Calls that would wait past the timeout are abandoned and do not add work
// (the caller's circuit gives up), so the cache serves at capacity and the excess times out.
// A slow-cache fault adds latency to every call, as a degraded dependency does.

export class CounterCache {
  private readonly capacityOpsPerS: number
  private readonly timeoutMs: number
  private extraLatencyMs = 0
  private backlogMs = 0
  private lastMs = -Infinity

  constructor({ capacityOpsPerS, timeoutMs }: { capacityOpsPerS: number; timeoutMs: number }) {
    this.capacityOpsPerS = capacityOpsPerS
    this.timeoutMs = timeoutMs
  }

  /** Latency of a cache call made now, or -1 when it times out. */
  call(nowMs: number): number {
    this.drain(nowMs)
    const latencyMs = this.backlogMs + this.extraLatencyMs
    if (latencyMs > this.timeoutMs) return -1
    this.backlogMs += 1000 / this.capacityOpsPerS
    return latencyMs + 0.2
  }

  delayMs(nowMs: number): number {
    this.drain(nowMs)
    return this.backlogMs + this.extraLatencyMs
  }

  get timeout(): number {
    return this.timeoutMs
  }

  setExtraLatency(latencyMs: number): void {
    this.extraLatencyMs = latencyMs
  }

  reset(): void {
    this.backlogMs = 0
  }

  private drain(nowMs: number): void {
    if (nowMs > this.lastMs) {
      this.backlogMs = Math.max(0, this.backlogMs - (nowMs - this.lastMs))
      this.lastMs = nowMs
    }
  }
}
