// soak — a long steady run. Nothing may creep: latency, error rate and replication lag stay flat
// from the first third to the last, counts never drift (every read within its bounds), memory
// stays bounded (bounded stores: idempotency keys, queues, histograms).
import type { Scenario } from '../scenario.ts'

export const soak: Scenario = {
  name: 'soak',
  title: 'A long steady run',
  summary: 'A long steady run: latency, errors and replication lag stay flat, counts never drift.',
  durationS: 600,
  world: { dayLengthS: 600, diurnalAmplitude: 0.3 },
  load: {
    scenarios: {
      sessions: { executor: 'constant-arrival-rate', rate: 400, timeUnit: '1s', duration: '600s', preAllocatedVUs: 100, maxVUs: 1000 },
    },
  },
  faults: [],
  system: { capacityRps: { 'us-east': 1000, 'us-west': 700, 'eu-west': 800, 'ap-southeast': 700 } },
  checks: { config: { 'steady-state': { maxGrowth: 1.5 } } },
  expect: {
    robust: { failing: [] },
    naive: { failing: ['no-double-count', 'counter-bounds'] },
  },
}
