// A CI gate: a short normal day that every pull request runs in mode sim (seconds, deterministic),
// with the latency and error budgets the team has agreed as k6 thresholds. Run it with
//   npx likestorm run ./examples/scenarios/ci-gate.scenario.ts --seed 7 --scale 0.1
// Exit code 0: every check and threshold held; 1: a check failed (the summary names it and the
// command that replays it); 2: this file is not valid (every problem listed with its field).
import { defineScenario } from 'likestorm'

export default defineScenario({
  // Start from the library's normal day; only what is written below changes.
  extends: 'baseline',
  name: 'ci-gate',
  title: 'Pull-request gate: a short normal day',
  summary: 'One compressed minute of ordinary traffic. Every acknowledged like is kept, each liker counts once, no read shows a made-up 0, and the latency and error budgets hold.',
  durationS: 60,
  load: {
    scenarios: {
      // Sessions per second at --scale 1 (k6's open model: arrivals do not wait for answers).
      sessions: { executor: 'constant-arrival-rate', rate: 600, timeUnit: '1s', duration: '60s', preAllocatedVUs: 100, maxVUs: 1000 },
    },
    thresholds: {
      http_req_duration: ['p(99)<300'],
      'http_req_duration{op:like}': ['p(95)<200'],
      http_req_failed: ['rate<0.02'],
    },
  },
  // Which checks must fail for each strategy on the default seed: none for ours.
  expect: { robust: { failing: [] } },
})
