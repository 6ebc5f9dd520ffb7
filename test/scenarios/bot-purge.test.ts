// The foundation's detection bar on the default seed, at the library tests' scale (their runs are shared).
import { describe, expect, it } from 'vitest'
import { LIBRARY_TEST_RUN } from '../helpers/checker-cases.ts'
import { run } from '../helpers/runs.ts'

describe('bot-purge on the default seed', () => {
  it('catches careless farms with precision >= 0.99 and recall >= 0.95, removing <= 0.1% of genuine likes', () => {
    const detection = run('bot-purge', LIBRARY_TEST_RUN).result.detection
    expect(detection).not.toBeNull()
    expect(detection?.byFarmKind.careless.precision).toBeGreaterThanOrEqual(0.99)
    expect(detection?.byFarmKind.careless.recall).toBeGreaterThanOrEqual(0.95)
    expect(detection?.genuineLikesRemovedRatio).toBeLessThanOrEqual(0.001)
    expect(detection?.byFarmKind.stealthy.recall).not.toBeNull()
  })

  it('records the purge with what it removed', () => {
    const purge = run('bot-purge', LIBRARY_TEST_RUN).result.faults.find((f) => f.kind === 'bot-purge')?.purge
    expect(purge?.accounts).toBeGreaterThan(250)
    expect(purge?.likesRemoved).toBeGreaterThan(2000)
    expect(Object.keys(purge?.reasons ?? {})).toContain('lockstep')
  })
})
