// like-flap — "my like keeps getting unliked". Users tap like/unlike in quick bursts from two
// devices (the second reaches another region), the network delivers some taps twice, and taps
// race each other across regions. The final state of each (user, video) must be the user's last
// intent (taps that raced may end either way), no acknowledged like may read back as unliked,
// duplicates must not count, and every region must agree.
import type { Scenario } from '../scenario.ts'

export const likeFlap: Scenario = {
  name: 'like-flap',
  title: 'Like, unlike, like: two devices racing',
  summary:
    '"My like keeps getting unliked": rapid like/unlike from two devices, duplicated and reordered requests. The final state of each (user, video) is the user\'s last intent; no acknowledged like reads back as unliked; duplicates never count.',
  durationS: 120,
  world: { behaviour: { likeAfterViewP: 0.08, flapSessionP: 0.5, duplicateP: 0.2, secondDeviceP: 0.1 } },
  load: {
    scenarios: {
      sessions: { executor: 'constant-arrival-rate', rate: 700, timeUnit: '1s', duration: '120s', preAllocatedVUs: 200, maxVUs: 2000 },
    },
  },
  faults: [],
  system: { capacityRps: { 'us-east': 1400, 'us-west': 900, 'eu-west': 1000, 'ap-southeast': 900 } },
  expect: {
    robust: { failing: [] },
    naive: { failing: ['no-lost-likes', 'no-double-count', 'counter-bounds', 'never-zero', 'view-counts', 'no-flip', 'last-intent', 'convergence'] },
  },
}
