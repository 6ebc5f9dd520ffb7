// A region listener's bound on requests in flight, with a bounded queue in front of it. Little's
// law (in flight = throughput × latency) says that once a service is saturated, more concurrency
// only adds latency; so past `inFlightMax` requests wait in a FIFO of at most `queueMax`, and past
// that they are shed at once (503 + Retry-After) — cheap rejection keeps goodput up. Pure state:
// the hook that uses it (admission-hook.ts) owns the timers and the replies.

export interface ConcurrencyLimits {
  /** Requests served at once. */
  readonly inFlightMax: number
  /** Requests waiting for a slot; one more is shed. */
  readonly queueMax: number
}

export interface Waiter {
  /** Called when a slot is handed over: the request may run now (it holds the slot). */
  readonly grant: () => void
  /** Set by the limit: queued, then granted or cancelled. */
  state: 'queued' | 'granted' | 'cancelled'
}

export class ConcurrencyLimit {
  readonly inFlightMax: number
  readonly queueMax: number
  private running = 0
  private waiting: Waiter[] = []
  private head = 0
  private waitingCount = 0
  /** Hands the caller's slot on; usable as an event listener (no `this` needed). */
  readonly release = (): void => {
    const next = this.nextWaiter()
    if (next === undefined) {
      this.running--
      return
    }
    next.state = 'granted'
    next.grant()
  }

  constructor({ inFlightMax, queueMax }: ConcurrencyLimits) {
    if (!(inFlightMax >= 1) || !(queueMax >= 0)) throw new Error(`concurrency limits need inFlightMax >= 1 and queueMax >= 0, got ${inFlightMax}, ${queueMax}`)
    this.inFlightMax = inFlightMax
    this.queueMax = queueMax
  }

  get inFlight(): number {
    return this.running
  }

  get queued(): number {
    return this.waitingCount
  }

  /** Every slot taken and the queue full: a request now would be shed at once. */
  get saturated(): boolean {
    return this.running >= this.inFlightMax && this.waitingCount >= this.queueMax
  }

  /** Take a slot if one is free. */
  tryAcquire(): boolean {
    if (this.running >= this.inFlightMax) return false
    this.running++
    return true
  }

  /** Queue for a slot; undefined when the queue is full (shed the request). */
  enqueue(grant: () => void): Waiter | undefined {
    if (this.waitingCount >= this.queueMax) return undefined
    const waiter: Waiter = { grant, state: 'queued' }
    this.waiting.push(waiter)
    this.waitingCount++
    return waiter
  }

  /** A queued waiter gives up (timed out, client gone). No effect once granted. */
  cancel(waiter: Waiter): void {
    if (waiter.state !== 'queued') return
    waiter.state = 'cancelled'
    this.waitingCount--
  }

  private nextWaiter(): Waiter | undefined {
    while (this.head < this.waiting.length) {
      const waiter = this.waiting[this.head++] as Waiter
      if (waiter.state === 'queued') {
        this.waitingCount--
        this.compact()
        return waiter
      }
    }
    this.compact()
    return undefined
  }

  /** Drop consumed entries now and then so the array does not grow without bound. */
  private compact(): void {
    if (this.head === this.waiting.length) {
      this.waiting = []
      this.head = 0
    } else if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head)
      this.head = 0
    }
  }
}
