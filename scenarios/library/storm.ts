// storm — everything at once: us-east overloaded, us-west down (its clients fail over into the
// overloaded region), and a bot purge while both are going on. Every invariant must still hold:
// nothing acknowledged lost or double-counted, no made-up zeros, regions converge afterwards, and
// the purge stays precise.
import type { Scenario } from '../scenario.ts'

export const storm: Scenario = {
  name: 'storm',
  title: 'Overload, outage and purge at once',
  summary:
    'Overload in us-east, us-west down, and a bot purge at once: every invariant holds, regions converge afterwards and the purge stays precise.',
  durationS: 180,
  world: {
    diurnalAmplitude: 0.2,
    farms: [
      { kind: 'careless', accounts: 300, targetVideos: 12, startS: 20, burstS: 30, ipBlocks: 2, region: 'eu-west' },
      { kind: 'stealthy', accounts: 150, targetVideos: 20, region: 'ap-southeast' },
    ],
  },
  load: {
    scenarios: {
      sessions: { executor: 'constant-arrival-rate', rate: 700, timeUnit: '1s', duration: '180s', preAllocatedVUs: 200, maxVUs: 4000 },
    },
  },
  faults: [
    { kind: 'overload', region: 'us-east', factor: 3, startS: 60, endS: 120 },
    { kind: 'region-outage', region: 'us-west', startS: 80, endS: 110 },
    { kind: 'bot-purge', startS: 95, endS: 105 },
  ],
  system: { capacityRps: { 'us-east': 800, 'us-west': 900, 'eu-west': 1000, 'ap-southeast': 900 } },
  checks: {
    config: {
      'purge-accuracy': { minPrecision: { careless: 0.99 }, minRecall: { careless: 0.95 }, maxGenuineLikesRemovedRatio: 0.001 },
      convergence: { deadlineS: 30 },
    },
  },
  expect: {
    robust: { failing: [] },
    naive: { failing: ['no-lost-likes', 'no-double-count', 'counter-bounds', 'never-zero', 'view-counts', 'last-intent', 'convergence', 'notifications'] },
  },
}
