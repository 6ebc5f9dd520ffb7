// flash-crowd — one video goes viral: about 25x its normal traffic for a minute (Twitter's record
// was ~25x its normal tweet rate). Every like and view of it hits one counter key; a single
// counter row is a hot key that slows to a crawl, so writes time out, are retried, and a
// non-idempotent counter counts them twice. A sharded, idempotent counter keeps up and the count
// is exact afterwards.
import type { Scenario } from '../scenario.ts'

export const flashCrowd: Scenario = {
  name: 'flash-crowd',
  title: 'One video goes viral',
  summary:
    'One video gets ~25x normal traffic for a minute: hot-key contention on its counter. A sharded, idempotent counter keeps up and the count is exact after; a single hot counter times out and retries count twice.',
  durationS: 150,
  world: { flashCrowds: [{ videoRank: 3, startS: 40, endS: 100, factor: 25 }] },
  load: {
    scenarios: {
      sessions: { executor: 'constant-arrival-rate', rate: 800, timeUnit: '1s', duration: '150s', preAllocatedVUs: 200, maxVUs: 4000 },
    },
  },
  faults: [],
  system: { capacityRps: { 'us-east': 1600, 'us-west': 1000, 'eu-west': 1200, 'ap-southeast': 1000 } },
  expect: {
    robust: { failing: [] },
    naive: { failing: ['no-double-count', 'counter-bounds', 'never-zero', 'view-counts', 'notifications'] },
  },
}
