// The farm library (issue 18): one farm of each trait beside bot-purge's careless and stealthy
// farms and its genuine fan groups, and two purge waves, so that a farm returning after the first
// is there for the second. result.json's detection.byFarm gives each farm's recall and cost:
//   npx likestorm run ./examples/scenarios/farm-library.scenario.ts --scale 0.5
//   npx likestorm run ./examples/scenarios/farm-library.scenario.ts --seeds 1..5 --scale 0.5 --no-reports
// The traits are documented in docs/scenarios.md ("Farm traits"). The detector is not tuned to
// them: the scenario reports what it catches and judges only what must hold for any detector
// (no genuine likes lost beyond 0.1%, every removed like traceable, counts exact).
import { defineScenario, scenarioByName } from 'likestorm'

// scenarioByName answers undefined for a name not in the library; bot-purge is.
const botPurge = scenarioByName('bot-purge')!

export default defineScenario({
  ...botPurge,
  name: 'farm-library',
  title: 'The farm library and two purge waves',
  summary:
    'Careless and stealthy farms plus aged, hijacked, paid-human, drip, sleeper, reused, returning and view farms, among genuine fan groups; purge waves at 130 s and 280 s. Counts drop by exactly the purged likes, at most 0.1% of genuine likes are removed, and each farm\'s recall and cost are reported.',
  durationS: 300,
  world: {
    ...botPurge.world,
    farms: [
      { label: 'careless', kind: 'careless', accounts: 500, targetVideos: 12, startS: 40, burstS: 40, ipBlocks: 3, region: 'us-east' },
      { label: 'stealthy', kind: 'stealthy', accounts: 300, targetVideos: 20, coverLikes: 15, watchShare: 0.5, region: 'us-west' },
      { label: 'aged', kind: 'stealthy', accounts: 150, targetVideos: 15, accountAgeDays: [400, 2500], region: 'us-east' },
      { label: 'hijacked', kind: 'careless', accounts: 100, targetVideos: 10, hijacked: true, takeoverS: 90, startS: 100, burstS: 30, region: 'eu-west' },
      { label: 'paid-humans', kind: 'stealthy', accounts: 100, targetVideos: 10, paidHumans: true, coverLikes: 5, region: 'us-west' },
      { label: 'drip', kind: 'stealthy', accounts: 150, targetVideos: 15, dripPerDay: 4, coverLikes: 5, region: 'ap-southeast' },
      { label: 'sleeper', kind: 'stealthy', accounts: 150, targetVideos: 15, sleepUntilS: 200, region: 'us-east' },
      { label: 'reuse', kind: 'careless', accounts: 500, targetVideos: 12, reuseOf: 'careless', startS: 180, burstS: 30, region: 'us-east' },
      { label: 'returns', kind: 'careless', accounts: 200, targetVideos: 10, startS: 60, burstS: 30, returnsAfterPurgeS: 160, ipBlocks: 2, region: 'eu-west' },
      { label: 'views', kind: 'careless', accounts: 200, targetVideos: 10, viewsOnly: true, startS: 50, burstS: 30, ipBlocks: 2, region: 'us-east' },
    ],
  },
  load: {
    scenarios: {
      sessions: { executor: 'constant-arrival-rate', rate: 600, timeUnit: '1s', duration: '300s', preAllocatedVUs: 200, maxVUs: 2000 },
    },
  },
  faults: [
    { kind: 'bot-purge', startS: 130, endS: 140 },
    { kind: 'bot-purge', startS: 280, endS: 290 },
  ],
  checks: { config: { 'purge-accuracy': { maxGenuineLikesRemovedRatio: 0.001 } } },
})
