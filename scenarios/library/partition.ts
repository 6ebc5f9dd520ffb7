// partition — us-east and eu-west cannot replicate to each other for a while; both keep taking
// writes. Reads on each side must say how fresh they are (a stale count is honest, a made-up one
// is not), and after the partition heals every region agrees (the like set is a CRDT: merging
// in any order gives the same set) within the deadline.
import type { Scenario } from '../scenario.ts'

export const partition: Scenario = {
  name: 'partition',
  title: 'us-east and eu-west partitioned',
  summary:
    'us-east and eu-west cannot replicate for a while; both keep taking writes. After healing every region agrees (CRDT merge) within the deadline; reads during the partition are honest about their staleness.',
  durationS: 150,
  world: {},
  load: {
    scenarios: {
      sessions: { executor: 'constant-arrival-rate', rate: 800, timeUnit: '1s', duration: '150s', preAllocatedVUs: 200, maxVUs: 2000 },
    },
  },
  faults: [{ kind: 'partition', a: 'us-east', b: 'eu-west', startS: 30, endS: 90 }],
  system: { capacityRps: { 'us-east': 1400, 'us-west': 900, 'eu-west': 1000, 'ap-southeast': 900 } },
  checks: { config: { convergence: { deadlineS: 20 } } },
  expect: {
    robust: { failing: [] },
    naive: { failing: ['no-lost-likes', 'no-double-count', 'counter-bounds', 'never-zero', 'view-counts', 'last-intent', 'convergence'] },
  },
}
