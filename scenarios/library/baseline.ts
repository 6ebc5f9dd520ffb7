// baseline — a normal day, compressed: diurnal curves offset by time zone, Zipf popularity,
// ordinary likes, double taps, read-backs and unlikes; no faults. A correct system keeps every
// acknowledged like, counts each liker once, never shows a made-up 0, and all regions agree once
// replication settles. The naive counter already fails here: double taps and second devices
// count twice ("+2" likes), and it claims fresh counts while replication lags.
import type { Scenario } from '../scenario.ts'

export const baseline: Scenario = {
  name: 'baseline',
  title: 'A normal day',
  summary:
    'A compressed normal day: diurnal traffic per region, Zipf popularity, likes after views, double taps, read-backs and unlikes, no faults. A correct system keeps every acknowledged like, counts each liker once, never shows a made-up 0, and converges.',
  durationS: 120,
  world: {},
  load: {
    scenarios: {
      sessions: { executor: 'constant-arrival-rate', rate: 800, timeUnit: '1s', duration: '120s', preAllocatedVUs: 200, maxVUs: 2000 },
    },
    thresholds: {
      likestorm_ok_duration: ['p(99)<250'],
      'likestorm_ok_duration{op:like}': ['p(95)<200'],
      http_req_failed: ['rate<0.01'],
    },
  },
  faults: [],
  system: { capacityRps: { 'us-east': 1400, 'us-west': 900, 'eu-west': 1000, 'ap-southeast': 900 } },
  expect: {
    robust: { failing: [] },
    naive: { failing: ['no-double-count', 'counter-bounds'] },
  },
}
