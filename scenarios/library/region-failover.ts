// region-failover — us-east goes down mid-traffic. Its clients see connection refused and fail
// over to the nearest region; us-east comes back with stale state and catches up from the
// others. With a durable replication log no acknowledged like is lost, and every region agrees
// again soon after the recovery (the catch-up time is reported). A fire-and-forget replication
// queue loses what us-east had not shipped when it died and what was sent to it while down.
import type { Scenario } from '../scenario.ts'

export const regionFailover: Scenario = {
  name: 'region-failover',
  title: 'us-east goes down and comes back',
  summary:
    'us-east goes down mid-traffic; clients fail over; us-east returns with stale state and catches up. No acknowledged like is lost with durable replication; convergence time is reported.',
  durationS: 150,
  world: {},
  load: {
    scenarios: {
      sessions: { executor: 'constant-arrival-rate', rate: 800, timeUnit: '1s', duration: '150s', preAllocatedVUs: 200, maxVUs: 2000 },
    },
  },
  faults: [{ kind: 'region-outage', region: 'us-east', startS: 40, endS: 90 }],
  system: { capacityRps: { 'us-east': 1400, 'us-west': 1400, 'eu-west': 1400, 'ap-southeast': 1200 } },
  checks: { config: { convergence: { deadlineS: 20 } } },
  expect: {
    robust: { failing: [] },
    naive: { failing: ['no-lost-likes', 'no-double-count', 'counter-bounds', 'never-zero', 'view-counts', 'no-flip', 'last-intent', 'convergence'] },
  },
}
