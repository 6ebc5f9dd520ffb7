// Before the final reads the driver waits for the target's queues to drain, when its admin state
// reports them (the mock server's queueDelayMs and cacheDelayMs): naive's queue outlives the
// traffic by up to 30 s, and reads sent into it time out where mode sim reads the final state.
import { describe, expect, it } from 'vitest'
import type { AdminClient, AdminState } from '../../../../scenarios/run/http/admin-client.ts'
import { AdminWatch } from '../../../../scenarios/run/http/admin-watch.ts'
import { RunStop } from '../../../../scenarios/run/http/run-stop.ts'
import { ScenarioClock } from '../../../../scenarios/run/http/scenario-clock.ts'
import { SharedServerClock } from '../../../../scenarios/run/http/server-clock.ts'
import { History } from '../../../../sim/history.ts'

const PLAN = { queueDrainMaxWallMs: 200, probeIntervalWallMs: 5 }

/** An admin API whose regions report these waits, one list per state read (the last repeats). */
function watchOf(delays: ReadonlyArray<ReadonlyArray<number | undefined>>): { watch: AdminWatch; reads: () => number } {
  let reads = 0
  const admin = {
    state: async () => {
      const now = delays[Math.min(reads++, delays.length - 1)] as ReadonlyArray<number | undefined>
      const regions = now.map((queueDelayMs, i) => ({ region: `r${i}`, up: true, watermarkMs: 0, countsDigest: '', ...(queueDelayMs === undefined ? {} : { queueDelayMs, cacheDelayMs: 0 }) }))
      return { ok: true, value: { nowMs: 0, regions, counters: {} } as AdminState }
    },
  } as unknown as AdminClient
  const clock = new ScenarioClock(1)
  const watch = new AdminWatch({ admin, history: new History(), regions: ['r0', 'r1'], clock, serverClock: new SharedServerClock(clock), stop: new RunStop() })
  return { watch, reads: () => reads }
}

describe('the wait for the target to drain before the final reads', () => {
  it('polls until no region waits more than 10 ms, and says how long it took', async () => {
    const { watch, reads } = watchOf([[2500, 0], [900, 0], [40, 3], [0, 0]])
    expect(await watch.drainBeforeFinalReads(PLAN)).toMatch(/^final reads: waited \d+\.\d s of the target's time for its queues to drain$/)
    expect(reads()).toBe(4)
  })

  it('gives up at its bound and says the queues had not drained', async () => {
    const { watch } = watchOf([[30_000, 0]])
    expect(await watch.drainBeforeFinalReads(PLAN)).toMatch(/^final reads: the target's queues had not drained after \d+\.\d s of its time \(requests still waited 30\.0 s\): final reads may time out$/)
  })

  it('does not wait, nor say anything, when the queues are drained or not reported', async () => {
    expect(await watchOf([[0, 5]]).watch.drainBeforeFinalReads(PLAN)).toBeUndefined()
    const unreported = watchOf([[undefined, undefined]])
    expect(await unreported.watch.drainBeforeFinalReads(PLAN)).toBeUndefined()
    expect(unreported.reads()).toBe(1)
  })
})
