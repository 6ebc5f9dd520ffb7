// inactive-purge — accounts idle for more than 90 days are deleted, and their likes with them.
// Creators watch their counts drop: a correct system drops them by exactly the purged likes
// (attributable, listed in the purge report), removes no active user's like, and keeps every
// other count exact.
import type { Scenario } from '../scenario.ts'

export const inactivePurge: Scenario = {
  name: 'inactive-purge',
  title: 'Inactive accounts deleted with their likes',
  summary:
    'Accounts idle for more than 90 days are deleted with their likes; creators\' counts drop, attributably: exactly the purged likes, no active user\'s like, every other count exact.',
  durationS: 120,
  world: { inactiveAccounts: 3000, inactiveLikesPerAccount: 4 },
  load: {
    scenarios: {
      sessions: { executor: 'constant-arrival-rate', rate: 700, timeUnit: '1s', duration: '120s', preAllocatedVUs: 200, maxVUs: 2000 },
    },
  },
  faults: [{ kind: 'inactive-purge', idleDays: 90, startS: 60, endS: 70 }],
  system: { capacityRps: { 'us-east': 1400, 'us-west': 900, 'eu-west': 1000, 'ap-southeast': 900 } },
  checks: {
    config: { 'purge-accuracy': { minPrecision: { inactive: 0.999 }, minRecall: { inactive: 0.999 }, maxGenuineLikesRemovedRatio: 0 } },
  },
  expect: {
    robust: { failing: [] },
    naive: { failing: ['no-double-count', 'counter-bounds'] },
  },
}
