// The scenario clock is shared by the driver and the embedded server's thread: a clock built on
// another's share reads the same scenario time, in this thread or another, and a restart anywhere
// moves them all. (SharedServerClock takes the server's times as scenario times with no slack.)
import { Worker } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { ScenarioClock } from '../../../../scenarios/run/http/scenario-clock.ts'

describe('ScenarioClock shared between clocks', () => {
  it('reads the same scenario time on the same share, and a restart of either moves both', () => {
    const driver = new ScenarioClock(0.1)
    const server = new ScenarioClock(0.1, driver.share)
    const a = driver.nowMs()
    const b = server.nowMs()
    const c = driver.nowMs()
    expect(a).toBeLessThanOrEqual(b)
    expect(b).toBeLessThanOrEqual(c)
    busyWaitMs(5)
    const restartWall = performance.now()
    server.restart()
    // Counted from the restart: no more than the scenario time since it, not the 50 ms more the wait took.
    const afterRestart = driver.nowMs()
    expect(afterRestart).toBeGreaterThanOrEqual(0)
    expect(afterRestart).toBeLessThanOrEqual((performance.now() - restartWall) / 0.1)
    expect(driver.startWallMs).toBe(server.startWallMs)
  })

  it('refuses a share that is not a clock\'s', () => {
    expect(() => new ScenarioClock(1, new SharedArrayBuffer(8))).toThrow(/a share is 16 bytes, got 8/)
    expect(() => new ScenarioClock(0)).toThrow(/time scale must be > 0/)
  })
})

describe('ScenarioClock on another thread', () => {
  let worker: Worker | undefined
  afterEach(async () => {
    await worker?.terminate()
  })

  it('reads the driver\'s scenario time: each reading lies between the driver\'s before the question and after the answer', async () => {
    const driver = new ScenarioClock(0.1)
    worker = new Worker(new URL('./fixtures/clock-reader.mjs', import.meta.url), { workerData: { timeScale: 0.1, share: driver.share }, execArgv: [] })
    const ask = (message: string): Promise<number> =>
      new Promise((resolve) => {
        worker?.once('message', resolve)
        worker?.postMessage(message)
      })
    await new Promise((resolve) => worker?.once('message', resolve))
    // The thread started well after this one: its performance.now() counts from a later origin.
    driver.restart()
    for (let question = 0; question < 20; question++) {
      const before = driver.nowMs()
      const read = await ask('now')
      expect(read).toBeGreaterThanOrEqual(before)
      expect(read).toBeLessThanOrEqual(driver.nowMs())
    }
    // A restart on the server's side moves the driver's clock too: to no more than the scenario
    // time since the question was asked.
    busyWaitMs(5)
    const askedWall = performance.now()
    const restartedAt = await ask('restart')
    const now = driver.nowMs()
    expect(now).toBeGreaterThanOrEqual(restartedAt)
    expect(now).toBeLessThanOrEqual((performance.now() - askedWall) / 0.1)
  })
})

function busyWaitMs(ms: number): void {
  const until = performance.now() + ms
  while (performance.now() < until);
}
