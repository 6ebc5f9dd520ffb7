// The embedded server keeps idempotency keys for the client's whole retry horizon, whatever
// --time-scale compresses: a retry that reaches the server after its key expired is a second write.
import { describe, expect, it } from 'vitest'
import { DEFAULT_CORE_CONFIG } from '../../../../mock-server/core/config.ts'
import { idempotencyTtlMs, RETRY_AFTER_MAX_S, retryHorizonWallMs } from '../../../../scenarios/run/http/retry-horizon.ts'
import { coreConfigFor, prepareRun } from '../../../../scenarios/run/run-setup.ts'
import { DEFAULT_CLIENT } from '../../../../scenarios/scenario.ts'
import { scenario } from '../../../helpers/runs.ts'

describe('the retry horizon and the idempotency TTL', () => {
  it('bounds every attempt, hop, backoff and capped Retry-After of a write', () => {
    // 3 attempts x 4 regions x 2 s timeouts; two waits of at most 20 s of server time (at 0.1: 2 s wall); a duplicate 300 ms (30 ms wall) late.
    expect(retryHorizonWallMs({ client: DEFAULT_CLIENT, regions: 4, timeScale: 0.1, wallMsPerServerMs: 0.1 })).toBe(24_000 + 2 * RETRY_AFTER_MAX_S * 100 + 30)
    // A target on its own clock: its Retry-After is wall seconds.
    expect(retryHorizonWallMs({ client: DEFAULT_CLIENT, regions: 4, timeScale: 0.1, wallMsPerServerMs: 1 })).toBe(24_000 + 2 * RETRY_AFTER_MAX_S * 1000 + 30)
  })

  it.each([0.01, 0.1, 0.25, 0.5, 1, 10])('keeps keys on the server clock at least the wall horizon / time scale (time scale %s)', (timeScale) => {
    const ttlMs = idempotencyTtlMs({ client: DEFAULT_CLIENT, regions: 4, timeScale, defaultTtlMs: DEFAULT_CORE_CONFIG.idempotencyTtlMs })
    const horizonWallMs = retryHorizonWallMs({ client: DEFAULT_CLIENT, regions: 4, timeScale, wallMsPerServerMs: timeScale })
    expect(ttlMs * timeScale).toBeGreaterThanOrEqual(horizonWallMs)
    expect(ttlMs).toBeGreaterThanOrEqual(DEFAULT_CORE_CONFIG.idempotencyTtlMs)
  })

  it('was too short before: 30 s of server time is 3 s of wall at time scale 0.1, under one client timeout and a retry', () => {
    const horizonWallMs = retryHorizonWallMs({ client: DEFAULT_CLIENT, regions: 4, timeScale: 0.1, wallMsPerServerMs: 0.1 })
    expect(DEFAULT_CORE_CONFIG.idempotencyTtlMs * 0.1).toBeLessThan(horizonWallMs)
  })

  it('sizes the key store for every write of the run when the TTL is the run\'s', () => {
    const setup = prepareRun({ scenario: scenario('baseline'), seed: 7, scale: 0.05 })
    expect(coreConfigFor(setup).idempotencyTtlMs).toBe(DEFAULT_CORE_CONFIG.idempotencyTtlMs)
    const config = coreConfigFor(setup, { idempotencyTtlMs: 600_000 })
    expect(config.idempotencyTtlMs).toBe(600_000)
    expect(config.idempotencyMaxKeys).toBeGreaterThanOrEqual(DEFAULT_CORE_CONFIG.idempotencyMaxKeys)
  })
})
