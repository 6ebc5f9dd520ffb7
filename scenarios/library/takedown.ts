// takedown — videos taken down for a guideline breach and later restored. While down they show
// nothing (410), and likes and views sent to them are refused; their likes are hidden, not lost:
// restoring brings the same counts back. A counter that lived only in a cache restarts at 0.
import type { Scenario } from '../scenario.ts'

export const takedown: Scenario = {
  name: 'takedown',
  title: 'Videos taken down and restored',
  summary:
    'Videos taken down for a guideline breach: likes hidden, not lost; restore brings the same counts back.',
  durationS: 150,
  // The world has 100 videos at --scale 0.05: every rank below stays in it down to there.
  world: {},
  load: {
    scenarios: {
      sessions: { executor: 'constant-arrival-rate', rate: 800, timeUnit: '1s', duration: '150s', preAllocatedVUs: 200, maxVUs: 2000 },
    },
  },
  faults: [{ kind: 'takedown', videoRanks: [4, 11, 27, 63, 90], startS: 50, endS: 100 }],
  system: { capacityRps: { 'us-east': 1400, 'us-west': 900, 'eu-west': 1000, 'ap-southeast': 900 } },
  expect: {
    robust: { failing: [] },
    naive: { failing: ['no-lost-likes', 'no-double-count', 'counter-bounds', 'never-zero', 'view-counts', 'convergence', 'takedown'] },
  },
}
