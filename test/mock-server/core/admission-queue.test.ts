// AdmissionQueue: a fluid queue in virtual time. Every admitted request adds 1000/capacityRps ms
// of work; the backlog drains 1 ms per ms; a request that would push it past queueMaxMs is shed.
import { describe, expect, it } from 'vitest'
import { AdmissionQueue } from '../../../mock-server/core/admission-queue.ts'

describe('AdmissionQueue', () => {
  it('admits the first request without delay', () => {
    const queue = new AdmissionQueue({ capacityRps: 100, queueMaxMs: 200 })
    expect(queue.admit(0)).toBe(0)
  })

  it('grows the queueing delay by 1000/capacityRps per admitted request', () => {
    const queue = new AdmissionQueue({ capacityRps: 100, queueMaxMs: 1000 })
    // 10 ms of work per request at 100 rps
    const waits = [0, 1, 2, 3, 4].map(() => queue.admit(0))
    expect(waits).toEqual([0, 10, 20, 30, 40])
    expect(queue.delayMs(0)).toBe(50)
  })

  it('drains the backlog with time, never below zero', () => {
    const queue = new AdmissionQueue({ capacityRps: 10, queueMaxMs: 10_000 })
    for (let i = 0; i < 5; i++) queue.admit(1000) // 5 x 100 ms
    expect(queue.delayMs(1000)).toBe(500)
    expect(queue.delayMs(1200)).toBe(300)
    expect(queue.admit(1300)).toBe(200)
    expect(queue.delayMs(1300)).toBe(300)
    expect(queue.delayMs(5000)).toBe(0)
    expect(queue.admit(5000)).toBe(0)
  })

  it('does not drain when time goes backwards', () => {
    const queue = new AdmissionQueue({ capacityRps: 10, queueMaxMs: 10_000 })
    queue.admit(1000)
    queue.admit(1000)
    expect(queue.delayMs(500)).toBe(200)
    expect(queue.delayMs(1000)).toBe(200)
  })

  it('sheds (-1) a request that would wait past queueMaxMs, and the shed request adds no work', () => {
    const queue = new AdmissionQueue({ capacityRps: 10, queueMaxMs: 200 })
    expect(queue.admit(0)).toBe(0) // backlog 100
    expect(queue.admit(0)).toBe(100) // backlog 200 == bound: still admitted
    expect(queue.admit(0)).toBe(-1)
    expect(queue.admit(0)).toBe(-1)
    expect(queue.delayMs(0)).toBe(200)
    // after 100 ms there is room for exactly one more
    expect(queue.admit(100)).toBe(100)
    expect(queue.admit(100)).toBe(-1)
  })

  it('serves at capacity under sustained overload (admitted count bounded by capacity x time + bound)', () => {
    const queue = new AdmissionQueue({ capacityRps: 100, queueMaxMs: 200 })
    let admitted = 0
    // 1000 requests per second for 10 s, one per ms
    for (let t = 0; t < 10_000; t++) if (queue.admit(t) >= 0) admitted++
    // 100 rps x 10 s plus what fits in the 200 ms bound (20 requests)
    expect(admitted).toBeGreaterThanOrEqual(1000)
    expect(admitted).toBeLessThanOrEqual(1021)
  })

  it('retryAfterMs is at least 1000 ms, and grows with a deep backlog', () => {
    const queue = new AdmissionQueue({ capacityRps: 10, queueMaxMs: 200 })
    expect(queue.retryAfterMs(0)).toBe(1000)
    queue.admit(0)
    queue.admit(0)
    expect(queue.admit(0)).toBe(-1)
    expect(queue.retryAfterMs(0)).toBeGreaterThanOrEqual(1000)

    const deep = new AdmissionQueue({ capacityRps: 1, queueMaxMs: 30_000 })
    for (let i = 0; i < 30; i++) deep.admit(0) // 30 s of backlog
    expect(deep.admit(0)).toBe(-1)
    const retry = deep.retryAfterMs(0)
    expect(retry).toBeGreaterThan(1000)
    expect(Number.isInteger(retry)).toBe(true)
    // once the backlog has drained, the hint is back at the floor
    expect(deep.retryAfterMs(60_000)).toBe(1000)
  })

  it('setCapacityFactor divides capacity (work per request multiplied), factor 1 restores it', () => {
    const queue = new AdmissionQueue({ capacityRps: 100, queueMaxMs: 10_000 })
    queue.setCapacityFactor(4)
    expect(queue.admit(0)).toBe(0)
    expect(queue.admit(0)).toBe(40)
    expect(queue.delayMs(0)).toBe(80)
    queue.setCapacityFactor(1)
    expect(queue.admit(1000)).toBe(0)
    expect(queue.admit(1000)).toBe(10)
  })

  it('setCapacityFactor is relative to the base capacity, not cumulative', () => {
    const queue = new AdmissionQueue({ capacityRps: 100, queueMaxMs: 10_000 })
    queue.setCapacityFactor(2)
    queue.setCapacityFactor(2)
    queue.admit(0)
    expect(queue.delayMs(0)).toBe(20)
  })

  it('reset clears the backlog', () => {
    const queue = new AdmissionQueue({ capacityRps: 10, queueMaxMs: 200 })
    queue.admit(0)
    queue.admit(0)
    expect(queue.admit(0)).toBe(-1)
    queue.reset()
    expect(queue.delayMs(0)).toBe(0)
    expect(queue.admit(0)).toBe(0)
  })
})
