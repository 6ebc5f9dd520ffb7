// A load test of your own service over HTTP: a closed model (k6's ramping-vus: each virtual user
// waits for its answer before its next session), which only mode http drives. Against the
// embedded mock server:
//   npx likestorm run ./examples/scenarios/service-load.scenario.ts --mode http --scale 0.1 --time-scale 0.2
// against your service (it speaks LikeStorm's /v1 API: docs/mock-server.md):
//   npx likestorm run ./examples/scenarios/service-load.scenario.ts --mode http --target http://127.0.0.1:8080
import { defineScenario } from 'likestorm'

export default defineScenario({
  extends: 'baseline',
  name: 'service-load',
  title: 'Ramp to 200 users and hold',
  summary: 'Virtual users ramp up, hold and ramp down with no faults. Every acknowledged like is kept and counted once, and 95% of likes are answered within 300 ms.',
  durationS: 60,
  load: {
    scenarios: {
      users: {
        executor: 'ramping-vus',
        startVUs: 0,
        stages: [
          { duration: '15s', target: 200 },
          { duration: '30s', target: 200 },
          { duration: '15s', target: 0 },
        ],
      },
    },
    thresholds: { 'http_req_duration{op:like}': ['p(95)<300'], http_req_failed: ['rate<0.05'] },
  },
})
