// A region's front door as a fluid queue: each admitted request adds 1/capacity seconds of work
// to a backlog that drains in real (virtual) time. The backlog is the queueing delay the next
// request sees. Above the bound the request is shed: 503 with Retry-After (AWS Builders' Library:
// shed early, cheaply, so goodput holds instead of collapsing). O(1) per request, no allocation.

export class AdmissionQueue {
  private capacityRps: number
  private readonly baseCapacityRps: number
  private readonly queueMaxMs: number
  private backlogMs = 0
  private lastMs = -Infinity

  constructor({ capacityRps, queueMaxMs }: { capacityRps: number; queueMaxMs: number }) {
    this.capacityRps = capacityRps
    this.baseCapacityRps = capacityRps
    this.queueMaxMs = queueMaxMs
  }

  /** Queueing delay for a request arriving now, or -1 when it is shed. */
  admit(nowMs: number): number {
    this.drain(nowMs)
    const workMs = 1000 / this.capacityRps
    if (this.backlogMs + workMs > this.queueMaxMs) return -1
    const waitMs = this.backlogMs
    this.backlogMs += workMs
    return waitMs
  }

  /** `admit` with the bound of the caller's shedding policy (the system's) instead of the queue's own. */
  admitWithin(nowMs: number, queueMaxMs: number): number {
    this.drain(nowMs)
    const workMs = 1000 / this.capacityRps
    if (this.backlogMs + workMs > queueMaxMs) return -1
    const waitMs = this.backlogMs
    this.backlogMs += workMs
    return waitMs
  }

  /** `retryAfterMs` for a client shed at the caller's bound. */
  retryAfterWithin(nowMs: number, queueMaxMs: number): number {
    this.drain(nowMs)
    return Math.max(1000, Math.ceil(this.backlogMs - queueMaxMs / 2))
  }

  /** Current queueing delay without admitting anything. */
  delayMs(nowMs: number): number {
    this.drain(nowMs)
    return this.backlogMs
  }

  /** When a shed client should come back: once the backlog has drained to half the bound, and at least 1 s. */
  retryAfterMs(nowMs: number): number {
    this.drain(nowMs)
    return Math.max(1000, Math.ceil(this.backlogMs - this.queueMaxMs / 2))
  }

  /** Overload emulation (for a server that cannot be driven hard enough): divide capacity. */
  setCapacityFactor(factor: number): void {
    this.capacityRps = this.baseCapacityRps / factor
  }

  /** A region that restarts loses its queue. */
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
