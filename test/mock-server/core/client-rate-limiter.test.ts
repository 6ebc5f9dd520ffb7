// The per-/24 token bucket at a region's edge.
import { describe, expect, it } from 'vitest'
import { ClientRateLimiter } from '../../../mock-server/core/client-rate-limiter.ts'

describe('ClientRateLimiter', () => {
  it('lets a burst through, then refuses with the wait until a token is back', () => {
    const limiter = new ClientRateLimiter({ ratePerS: 10, burst: 3 })
    expect([limiter.take(0, 0), limiter.take(0, 0), limiter.take(0, 0)]).toEqual([0, 0, 0])
    expect(limiter.take(0, 0)).toBe(100)
    expect(limiter.take(0, 50)).toBe(50)
    expect(limiter.take(0, 100)).toBe(0)
  })

  it('keeps one bucket per block', () => {
    const limiter = new ClientRateLimiter({ ratePerS: 1, burst: 1 })
    expect(limiter.take(5, 0)).toBe(0)
    expect(limiter.take(5, 0)).toBeGreaterThan(0)
    expect(limiter.take(2000, 0)).toBe(0)
  })

  it('admits about ratePerS per second from a flooding block', () => {
    const limiter = new ClientRateLimiter({ ratePerS: 50, burst: 100 })
    let admitted = 0
    for (let ms = 0; ms < 10_000; ms++) if (limiter.take(7, ms) === 0) admitted++
    expect(admitted).toBeGreaterThanOrEqual(100 + 50 * 9)
    expect(admitted).toBeLessThanOrEqual(100 + 50 * 10 + 1)
  })
})
