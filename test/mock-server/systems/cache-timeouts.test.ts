// CacheTimeouts: a rolling share of timed-out cache calls per region, with a minimum volume.
import { describe, expect, it } from 'vitest'
import { CacheTimeouts } from '../../../mock-server/systems/counting/cache-timeouts.ts'

const make = (): CacheTimeouts => new CacheTimeouts({ regions: 2, windowMs: 1000, buckets: 10, minCalls: 10, failingShare: 0.2 })

describe('CacheTimeouts', () => {
  it('is failing from the share of the window\'s calls that timed out, per region', () => {
    const window = make()
    for (let i = 0; i < 8; i++) window.record(0, i * 10, false)
    window.record(0, 80, true)
    window.record(0, 90, true)
    expect(window.failing(0, 100)).toBe(true) // 2 of 10
    expect(window.failing(1, 100)).toBe(false) // no calls there
    window.record(0, 100, false)
    expect(window.failing(0, 100)).toBe(false) // 2 of 11 < 20%
  })

  it('needs the minimum volume: a few calls that all timed out tell nothing', () => {
    const window = make()
    for (let i = 0; i < 9; i++) window.record(0, i, true)
    expect(window.failing(0, 10)).toBe(false)
    window.record(0, 10, true)
    expect(window.failing(0, 10)).toBe(true)
  })

  it('forgets calls older than the window, bucket by bucket, and reuses the buckets', () => {
    const window = make()
    for (let i = 0; i < 10; i++) window.record(0, 50, true)
    expect(window.failing(0, 999)).toBe(true)
    expect(window.failing(0, 1000)).toBe(false) // the bucket [0, 100) left the window
    for (let i = 0; i < 10; i++) window.record(0, 1050, false) // same slot as [0, 100): reset, not added
    for (let i = 0; i < 2; i++) window.record(0, 1060, true)
    expect(window.failing(0, 1060)).toBe(false) // 2 of 12
    expect(window.failing(0, -1)).toBe(false)
  })
})
