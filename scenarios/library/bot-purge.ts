// bot-purge — bought likes and the purge that removes them. Careless farms (a 500- and a
// 50-account farm: new accounts, a few shared /24s, lockstep bursts on ordered targets, no
// watching) and a stealthy farm (likes spread over the whole run, mixed with popular videos,
// residential addresses, some short views) inflate target videos during normal traffic; then
// the system's detection runs and a purge wave removes what it flagged. Counts must drop by
// exactly the purged likes (nothing else lost, nothing double-counted), careless farms must be
// caught almost entirely without hurting real users, and stealthy-farm recall is reported.
import type { Scenario } from '../scenario.ts'

export const botPurge: Scenario = {
  name: 'bot-purge',
  title: 'Bot farms and a purge wave',
  summary:
    'Careless and stealthy farms inflate target videos; detection and a purge wave run during normal traffic. Counts drop by exactly the purged likes; careless farms are caught (precision >= 0.99, recall >= 0.95) with <= 0.1% of genuine likes removed; stealthy recall is reported.',
  durationS: 180,
  // Below 0.2 the 50-account farm shrinks under 10 accounts, smaller than the groups lockstep
  // detection acts on: recall would measure the scale, not the detector.
  minScale: 0.2,
  world: {
    // People a detector must leave alone: heavy users (a heavier tail of activity), fans of two
    // creators liking together from campus networks with watch parties, and likes that arrive
    // before their view is recorded.
    activityAlpha: 1.2,
    activityCapRatio: 400,
    behaviour: { likeWithoutViewP: 0.05 },
    fanGroups: [
      { members: 200, creatorRank: 40, ipBlocks: 2 },
      { members: 80, creatorRank: 300, ipBlocks: 1, parties: 2 },
    ],
    farms: [
      { kind: 'careless', accounts: 500, targetVideos: 12, startS: 40, burstS: 40, ipBlocks: 3, region: 'us-east' },
      { kind: 'careless', accounts: 50, targetVideos: 10, startS: 90, burstS: 20, ipBlocks: 1, region: 'eu-west' },
      { kind: 'stealthy', accounts: 300, targetVideos: 20, coverLikes: 15, watchShare: 0.5, region: 'us-west' },
    ],
  },
  load: {
    scenarios: {
      sessions: { executor: 'constant-arrival-rate', rate: 600, timeUnit: '1s', duration: '180s', preAllocatedVUs: 200, maxVUs: 2000 },
    },
  },
  faults: [{ kind: 'bot-purge', startS: 150, endS: 160 }],
  system: { capacityRps: { 'us-east': 1400, 'us-west': 900, 'eu-west': 1000, 'ap-southeast': 900 } },
  checks: {
    config: {
      'purge-accuracy': { minPrecision: { careless: 0.99 }, minRecall: { careless: 0.95 }, maxGenuineLikesRemovedRatio: 0.001 },
    },
  },
  expect: {
    robust: { failing: [] },
    // Heavy users unlike and like again: naive's retries, which ignore keys, apply an old intent last.
    naive: { failing: ['no-double-count', 'counter-bounds', 'last-intent', 'convergence'] },
  },
}
