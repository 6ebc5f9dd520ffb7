// Whether k6 drove the offered load, judged by mode http's rule (run/http/harness-health.ts) on what
// its output shows: how late each session started (an iteration's start is what k6's executor
// schedules; a session's later operations wait for the system's answers, so their delays are partly
// the system's), and how many sessions it never sent. When it
// did not, the timing checks (latency thresholds, goodput, steady-state) are inconclusive with this
// cause, as they are for our own driver: a p99 of a load generator that fell behind describes the
// load generator. Pure.
import type { HarnessHealth } from '../../sim/checks/check-types.ts'
import { DROPPED_SHARE_MAX, LATE_SCENARIO_MS, LATE_SHARE_MAX } from '../run/http/harness-health.ts'
import type { SendDelay } from './k6-history.ts'

export function k6Health({ delay, unsent, sessions }: { delay: SendDelay; unsent: number; sessions: number }): HarnessHealth | undefined {
  const lateShare = delay.sessions === 0 ? 0 : delay.lateStarts / delay.sessions
  const unsentShare = sessions === 0 ? 0 : unsent / sessions
  const problems: string[] = []
  if (lateShare > LATE_SHARE_MAX) {
    problems.push(`${percent(lateShare)} of sessions started more than ${LATE_SCENARIO_MS} ms late (operations sent ${(delay.p99Ms ?? 0).toFixed(1)} ms late at p99, ${(delay.maxMs ?? 0).toFixed(1)} ms at most)`)
  }
  if (unsentShare > DROPPED_SHARE_MAX) problems.push(`${percent(unsentShare)} of sessions were never sent`)
  if (problems.length === 0) return undefined
  return { scheduleNotKept: `k6 could not drive the offered load: ${problems.join('; ')} (give k6 more CPU or VUs, or split it over instances: docs/k6.md)` }
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`
}
