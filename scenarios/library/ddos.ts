// ddos — a flood from a few /24 blocks hits us-east: 150 accounts sending 30 requests a second
// each, reads, views and likes, three times the region's capacity. Per-client rate limits at the
// edge refuse the flood with 429 before it costs capacity, so genuine goodput stays >= 95%; and
// nothing a rejected request carried is ever counted.
import type { Scenario } from '../scenario.ts'

export const ddos: Scenario = {
  name: 'ddos',
  title: 'A request flood from a few networks',
  summary:
    'A flood from a few IP blocks hits us-east at ~3x its capacity: per-client rate limits keep genuine goodput >= 95%; nothing is counted from rejected requests.',
  durationS: 150,
  // The edge admits 50 req/s from each /24 whatever the scale, while the region's capacity shrinks
  // with it: below 0.25 the three blocks' allowance alone crowds out genuine traffic (at 0.2 they
  // take 150 of 280 req/s), so goodput would measure the scale, not the rate limiter.
  minScale: 0.25,
  world: {},
  load: {
    scenarios: {
      sessions: { executor: 'constant-arrival-rate', rate: 800, timeUnit: '1s', duration: '150s', preAllocatedVUs: 200, maxVUs: 2000 },
    },
  },
  faults: [{ kind: 'ddos', region: 'us-east', accounts: 150, ipBlocks: 3, requestsPerS: 30, startS: 40, endS: 100 }],
  system: { capacityRps: { 'us-east': 1400, 'us-west': 900, 'eu-west': 1000, 'ap-southeast': 900 } },
  checks: { config: { goodput: { region: 'us-east', during: 'ddos', minServedShare: 0.95, recoveryS: 20, minRecoveredShare: 0.95 } } },
  expect: {
    robust: { failing: [] },
    naive: { failing: ['no-double-count', 'counter-bounds', 'never-zero', 'view-counts', 'notifications', 'goodput'] },
  },
}
