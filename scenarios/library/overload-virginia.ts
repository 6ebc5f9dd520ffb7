// overload-virginia — the 2020-07-23 incident, compressed: for the incident window us-east gets
// about three times the traffic it can serve ("higher traffic than normal on our servers in
// Virginia"). The data is never lost; what breaks is the read path: a cached counter that times
// out reads as 0 likes and views, deep queues turn requests into timeouts, and retries count
// twice. A correct system sheds the excess early with fast 503s, serves last-known-good counts
// marked stale (never a made-up 0), keeps every acknowledged like, and recovers its goodput as
// soon as the load drops (no metastable failure).
import type { Scenario } from '../scenario.ts'

export const overloadVirginia: Scenario = {
  name: 'overload-virginia',
  title: 'The 2020-07-23 overload in Virginia',
  summary:
    'us-east takes about 3x its capacity for the incident window (compressed). Reads must never show 0 while likes exist and must be marked stale when degraded; shed requests are fast 503s; every acknowledged like is kept; goodput recovers after the load drops.',
  durationS: 150,
  world: { diurnalAmplitude: 0.2 },
  load: {
    scenarios: {
      sessions: { executor: 'constant-arrival-rate', rate: 800, timeUnit: '1s', duration: '150s', preAllocatedVUs: 200, maxVUs: 4000 },
    },
    thresholds: {
      // Shed requests are fast; what is accepted is served well within the client's deadline.
      'likestorm_ok_duration{region:us-east}': ['p(99)<1000'],
      'likestorm_ok_duration{op:read-video}': ['p(95)<500'],
    },
  },
  faults: [{ kind: 'overload', region: 'us-east', factor: 3.5, startS: 30, endS: 100 }],
  system: { capacityRps: { 'us-east': 800, 'us-west': 900, 'eu-west': 1000, 'ap-southeast': 900 } },
  checks: {
    config: {
      goodput: { region: 'us-east', minShareOfCapacity: 0.8, recoveryS: 20, minRecoveredShare: 0.95 },
    },
  },
  expect: {
    robust: { failing: [] },
    naive: { failing: ['no-lost-likes', 'no-double-count', 'counter-bounds', 'never-zero', 'view-counts', 'notifications', 'goodput'] },
  },
}
