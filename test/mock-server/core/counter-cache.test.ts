// CounterCache: a dependency with its own capacity and a client-side timeout.
import { describe, expect, it } from 'vitest'
import { CounterCache } from '../../../mock-server/core/counter-cache.ts'

describe('CounterCache', () => {
  it('returns the latency of a call: backlog plus a small constant', () => {
    const cache = new CounterCache({ capacityOpsPerS: 100, timeoutMs: 50 })
    expect(cache.call(0)).toBeCloseTo(0.2, 10)
    // 10 ms of work per op at 100 ops/s
    expect(cache.call(0)).toBeCloseTo(10.2, 10)
    expect(cache.call(0)).toBeCloseTo(20.2, 10)
    expect(cache.delayMs(0)).toBe(30)
  })

  it('drains with time', () => {
    const cache = new CounterCache({ capacityOpsPerS: 100, timeoutMs: 50 })
    cache.call(0)
    cache.call(0)
    cache.call(0)
    expect(cache.delayMs(15)).toBe(15)
    expect(cache.call(15)).toBeCloseTo(15.2, 10)
    expect(cache.delayMs(1000)).toBe(0)
  })

  it('times out (-1) once the backlog exceeds the timeout, and timed-out calls add no work', () => {
    const cache = new CounterCache({ capacityOpsPerS: 100, timeoutMs: 50 })
    const latencies = Array.from({ length: 8 }, () => cache.call(0))
    // backlogs 0,10,20,30,40,50 are within the timeout (50 is not > 50); 60 is not
    expect(latencies.slice(0, 6).every((l) => l >= 0)).toBe(true)
    expect(latencies[6]).toBe(-1)
    expect(latencies[7]).toBe(-1)
    expect(cache.delayMs(0)).toBe(60)
    // 10 ms later the backlog is back to 50: served again
    expect(cache.call(10)).toBeCloseTo(50.2, 10)
  })

  it('serves at capacity: the excess times out', () => {
    const cache = new CounterCache({ capacityOpsPerS: 1000, timeoutMs: 50 })
    let served = 0
    // 10 calls per ms for 1 s = 10x capacity
    for (let t = 0; t < 1000; t++) for (let i = 0; i < 10; i++) if (cache.call(t) >= 0) served++
    expect(served).toBeGreaterThanOrEqual(1000)
    expect(served).toBeLessThanOrEqual(1000 + 52)
  })

  it('setExtraLatency (slow-cache fault) adds latency to every call and can push it past the timeout', () => {
    const cache = new CounterCache({ capacityOpsPerS: 1_000_000, timeoutMs: 50 })
    cache.setExtraLatency(30)
    expect(cache.call(0)).toBeCloseTo(30.2, 10)
    expect(cache.delayMs(1000)).toBe(30)
    cache.setExtraLatency(51)
    expect(cache.call(1000)).toBe(-1)
    expect(cache.call(2000)).toBe(-1)
    cache.setExtraLatency(0)
    expect(cache.call(3000)).toBeCloseTo(0.2, 10)
  })

  it('exposes its timeout and reset clears the backlog (not the extra latency)', () => {
    const cache = new CounterCache({ capacityOpsPerS: 10, timeoutMs: 75 })
    expect(cache.timeout).toBe(75)
    cache.call(0)
    expect(cache.call(0)).toBe(-1)
    cache.setExtraLatency(5)
    cache.reset()
    expect(cache.delayMs(0)).toBe(5)
    expect(cache.call(0)).toBeCloseTo(5.2, 10)
  })
})
