// cache-outage — the counter cache, a dependency, fails for a while in us-east (every call takes
// longer than the timeout), like the July 2020 cloud outage that took several apps down for about
// an hour. Reads must degrade honestly: last-known-good counts marked stale, or a clear error —
// never a made-up 0. Writes keep landing and nothing acknowledged is lost.
import type { Scenario } from '../scenario.ts'

export const cacheOutage: Scenario = {
  name: 'cache-outage',
  title: 'The counter cache goes down',
  summary:
    'The counter cache fails for a while in us-east, like the July 2020 cloud outage: degraded reads are marked stale, never 0; writes keep landing; nothing acknowledged is lost.',
  durationS: 150,
  world: {},
  load: {
    scenarios: {
      sessions: { executor: 'constant-arrival-rate', rate: 800, timeUnit: '1s', duration: '150s', preAllocatedVUs: 200, maxVUs: 2000 },
    },
  },
  faults: [{ kind: 'slow-cache', region: 'us-east', latencyMs: 500, startS: 40, endS: 100 }],
  system: { capacityRps: { 'us-east': 1400, 'us-west': 900, 'eu-west': 1000, 'ap-southeast': 900 } },
  expect: {
    robust: { failing: [] },
    naive: { failing: ['no-double-count', 'counter-bounds', 'never-zero', 'notifications'] },
  },
}
