// A lossy network in front of one region: for a minute, a fifth of the requests between the clients
// and us-east are lost — half before the service sees them, half after it answered (the answer is
// lost). The client hears nothing either way, times out and retries with the same idempotency key,
// so the service meets retries of likes it has already applied. Run it with
//   npx likestorm run ./examples/scenarios/lossy-region.scenario.ts --seed 7 --scale 0.25
// In mode http the embedded server drops those connections itself; against a --target without
// fault routes, `--faults proxy` loses them in LikeStorm's proxy in front of it.
import { defineScenario } from 'likestorm'

export default defineScenario({
  extends: 'baseline',
  name: 'lossy-region',
  title: 'A lossy network in front of us-east',
  summary:
    'For 60 s a fifth of the requests to us-east, or their answers, are lost; clients time out and retry with the same key. Every acknowledged like is kept, a retried like counts once, and the regions agree once the network heals.',
  faults: [{ kind: 'network-loss', region: 'us-east', share: 0.2, startS: 30, endS: 90 }],
  // baseline's load; its error budget allows for the lost requests (each one is an attempt that
  // failed, about 4% of them all here), not for the system's own errors on top.
  load: {
    scenarios: {
      sessions: { executor: 'constant-arrival-rate', rate: 800, timeUnit: '1s', duration: '120s', preAllocatedVUs: 200, maxVUs: 2000 },
    },
    // Latency of the answered requests: a lost one waits out the client's timeout, and
    // http_req_duration (every request, as k6 counts it) would measure the loss, not the service.
    thresholds: {
      likestorm_ok_duration: ['p(99)<250'],
      'likestorm_ok_duration{op:like}': ['p(95)<200'],
      http_req_failed: ['rate<0.08'],
    },
  },
  // naive ignores idempotency keys: a retried like or view whose first answer was lost counts twice.
  expect: { robust: { failing: [] }, naive: { failing: ['no-double-count', 'counter-bounds', 'view-counts'] } },
})
