// The protocol's decisions on their own: the retry budget and the attempt cap, backoff against
// Retry-After, the failover memory, and the final reads' tries and the convergence probes' stop.
import { describe, expect, it } from 'vitest'
import { FailureKind } from '../../../sim/failure-kind.ts'
import type { RegionSpec } from '../../../sim/regions.ts'
import { Rng } from '../../../sim/rng.ts'
import { ClientProtocol } from '../../../scenarios/protocol/client-protocol.ts'
import { afterFinalRead, FINAL_READ_ATTEMPTS, probeAgain } from '../../../scenarios/protocol/final-reads.ts'
import { DEFAULT_CLIENT } from '../../../scenarios/scenario.ts'

const REGIONS: RegionSpec[] = [
  { id: 'a', userShare: 1, utcOffsetH: 0, failoverOrder: ['b', 'c'] },
  { id: 'b', userShare: 1, utcOffsetH: 0, failoverOrder: ['a'] },
  { id: 'c', userShare: 1, utcOffsetH: 0, failoverOrder: ['b'] },
]

function protocol(spec = DEFAULT_CLIENT): ClientProtocol {
  return new ClientProtocol({ spec, regions: REGIONS, random: new Rng(1).stream('test') })
}

const answer = { home: 0, region: 0, attempt: 1, hop: 0, nowMs: 0, retryAfterMs: undefined }

describe('ClientProtocol', () => {
  it('retries after at least the server’s Retry-After, and at most maxAttempts times', () => {
    const p = protocol()
    const first = p.decide({ ...answer, kind: FailureKind.Shed, retryAfterMs: 5000 })
    expect(first).toEqual({ next: 'retry', delayMs: 5000 })
    const second = p.decide({ ...answer, kind: FailureKind.Shed, attempt: 2 })
    expect(second.next).toBe('retry')
    if (second.next === 'retry') expect(second.delayMs).toBeGreaterThanOrEqual(DEFAULT_CLIENT.backoffBaseMs * 2 * 0.5)
    expect(p.decide({ ...answer, kind: FailureKind.Shed, attempt: DEFAULT_CLIENT.maxAttempts })).toEqual({ next: 'give-up', why: 'attempts-used' })
  })

  it('stops retrying when the budget is spent, and counts the denials', () => {
    const p = protocol({ ...DEFAULT_CLIENT, maxAttempts: 100, retryBudgetRatio: 0 })
    const decisions = Array.from({ length: 12 }, () => p.decide({ ...answer, kind: FailureKind.Timeout }).next)
    // Ten tokens to start with (a fifth of the cap of 50), none earned.
    expect(decisions.filter((d) => d === 'retry')).toHaveLength(10)
    expect(decisions.slice(10)).toEqual(['give-up', 'give-up'])
    expect(p.retriesDenied).toBe(2)
  })

  it('starts a client that is one of many (a k6 VU) with fewer tokens: its share, not a population\'s', () => {
    const vu = new ClientProtocol({ spec: { ...DEFAULT_CLIENT, maxAttempts: 100, retryBudgetRatio: 0 }, regions: REGIONS, random: new Rng(1).stream('test'), startTokens: 2 })
    const decisions = Array.from({ length: 4 }, () => vu.decide({ ...answer, kind: FailureKind.Timeout }).next)
    expect(decisions).toEqual(['retry', 'retry', 'give-up', 'give-up'])
  })

  it('fails over nearest-first after a refusal and avoids the region for failoverStickyMs', () => {
    const p = protocol()
    expect(p.decide({ ...answer, kind: FailureKind.Refused, nowMs: 1000 })).toEqual({ next: 'fail-over', region: 1 })
    expect(p.regionFor(0, -1, 1000 + DEFAULT_CLIENT.failoverStickyMs - 1)).toBe(1)
    expect(p.regionFor(0, -1, 1000 + DEFAULT_CLIENT.failoverStickyMs)).toBe(0)
    // A pinned route is used unless avoided.
    expect(p.regionFor(0, 2, 1000)).toBe(2)
    expect(p.regionFor(0, 0, 1000)).toBe(1)
  })

  it('gives up at once on a definite refusal of the request', () => {
    expect(protocol().decide({ ...answer, kind: FailureKind.UnknownId })).toEqual({ next: 'give-up', why: 'refused-for-good' })
    expect(protocol().decide({ ...answer, kind: FailureKind.None })).toEqual({ next: 'done' })
  })
})

describe('final reads', () => {
  it('tries a read FINAL_READ_ATTEMPTS times with doubling waits, and not again after a definite refusal', () => {
    expect(afterFinalRead({ kind: FailureKind.None, usable: true, attempt: 1 })).toEqual({ next: 'done' })
    expect(afterFinalRead({ kind: FailureKind.Shed, usable: false, attempt: 1 })).toEqual({ next: 'retry', delayMs: 50 })
    expect(afterFinalRead({ kind: FailureKind.None, usable: false, attempt: 2 })).toEqual({ next: 'retry', delayMs: 100 })
    expect(afterFinalRead({ kind: FailureKind.Shed, usable: false, attempt: FINAL_READ_ATTEMPTS })).toEqual({ next: 'give-up' })
    expect(afterFinalRead({ kind: FailureKind.UnknownId, usable: false, attempt: 1 })).toEqual({ next: 'give-up' })
  })

  it('probes convergence until caught up, the last probe before the deadline', () => {
    expect(probeAgain({ atMs: 10_000, fromMs: 0, deadlineMs: 30_000, caughtUp: false })).toBe(true)
    expect(probeAgain({ atMs: 30_000, fromMs: 0, deadlineMs: 30_000, caughtUp: false })).toBe(false)
    expect(probeAgain({ atMs: 10_000, fromMs: 0, deadlineMs: 30_000, caughtUp: true })).toBe(false)
  })
})
