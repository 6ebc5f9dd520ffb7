// The default bound on an http run's wall time is derived from what the run plans to do: the
// traffic at the time scale, the drain, the target's quiet period and convergence deadline, the
// longest wait for its queues to drain, and the final reads at the final-read rate; twice that and a minute. A target on its own clock
// takes its quiet period, deadline and reads in its own (wall) seconds.
import { describe, expect, it } from 'vitest'
import { describeWallPlan, wallPlan } from '../../../../scenarios/run/http/wall-plan.ts'
import { prepareRun } from '../../../../scenarios/run/run-setup.ts'
import { scenario } from '../../../helpers/runs.ts'

describe('wallPlan', () => {
  it('adds up the phases of the embedded server, on the scenario clock', () => {
    const setup = prepareRun({ scenario: scenario('overload-virginia'), seed: 7, scale: 0.05 })
    const plan = wallPlan(setup, { timeScale: 0.1, wallMsPerServerMs: 0.1 })
    expect(plan.trafficWallMs).toBe(15_000)
    expect(plan.quietWallMs).toBe(500)
    expect(plan.convergenceDeadlineWallMs).toBe(3000)
    expect(plan.probeIntervalWallMs).toBe(10)
    expect(plan.queueDrainMaxWallMs).toBe(6000)
    const phases = plan.trafficWallMs + plan.drainWallMs + plan.quietWallMs + plan.convergenceDeadlineWallMs + plan.queueDrainMaxWallMs + plan.finalReadsWallMs
    expect(plan.durationMaxMs).toBe(Math.ceil(2 * phases + 60_000))
    expect(describeWallPlan(plan)).toMatch(/^2 x \(traffic 15 s \+ drain 30 s \+ quiet 1 s \+ convergence 3 s \+ queues 6 s \+ final reads \d+ s\) \+ 60 s$/)
  })

  it('gives a target on its own clock its quiet period, deadline and reads in wall seconds', () => {
    const setup = prepareRun({ scenario: scenario('storm'), seed: 7, scale: 1 })
    const embedded = wallPlan(setup, { timeScale: 0.5, wallMsPerServerMs: 0.5 })
    const target = wallPlan(setup, { timeScale: 0.5, wallMsPerServerMs: 1 })
    expect(target.quietWallMs).toBe(5000)
    expect(target.convergenceDeadlineWallMs).toBe(30_000)
    expect(target.finalReadsWallMs).toBeCloseTo(2 * embedded.finalReadsWallMs)
    // The old bound (duration x time scale + 300 s) did not count the final reads a target at scale 1 is paced through.
    expect(target.durationMaxMs).toBeGreaterThan(2 * (target.trafficWallMs + target.finalReadsWallMs))
    expect(target.durationMaxMs).toBeGreaterThan((180 * 0.5 + 300) * 1000)
  })
})
