// Drip farms over several compressed days (issue 18): a drip account likes a few videos a day
// (FarmSpec dripPerDay), so in farm-library's 1.25 days it leaves two or three likes on its
// targets, too few to show a campaign. Here a compressed day is 60 s and the run spans six of
// them, long enough for drips of different sizes and rates to show their pattern, with a bot
// purge at the end of days 2, 4 and 6, among bot-purge's heavy users and genuine fan groups
// (people liking one creator together, who must not be purged):
//   npx likestorm run ./examples/scenarios/drip-farm.scenario.ts --seeds 1..5 --scale 0.5 --no-reports
// result.json's detection.byFarm gives each farm's recall; the checks judge only what must hold
// for any detector (at most 0.1% of genuine likes removed, every removed like traceable).
import { defineScenario, scenarioByName } from 'likestorm'

// scenarioByName answers undefined for a name not in the library; bot-purge is.
const botPurge = scenarioByName('bot-purge')!

const DAY_S = 60

export default defineScenario({
  ...botPurge,
  name: 'drip-farm',
  title: 'Drip farms over six compressed days and three purges',
  summary:
    'Drip farms of different sizes and rates like a few videos per compressed day (60 s) for six days among heavy users and genuine fan groups; bot purges at the end of days 2, 4 and 6. Counts drop by exactly the purged likes, at most 0.1% of genuine likes are removed, and each farm\'s recall is reported.',
  durationS: 6 * DAY_S,
  world: {
    ...botPurge.world,
    dayLengthS: DAY_S,
    fanGroups: [
      { members: 200, creatorRank: 40, ipBlocks: 2 },
      { members: 80, creatorRank: 300, ipBlocks: 1, parties: 2 },
      { members: 150, creatorRank: 120, likeShare: 0.6, parties: 3, partyWindowS: 120, partyShare: 0.8, ipBlocks: 2 },
    ],
    farms: [
      { label: 'drip-slow', kind: 'stealthy', accounts: 200, targetVideos: 20, dripPerDay: 2, coverLikes: 5, region: 'ap-southeast' },
      { label: 'drip-steady', kind: 'stealthy', accounts: 150, targetVideos: 15, dripPerDay: 4, coverLikes: 5, region: 'us-west' },
      { label: 'drip-small', kind: 'stealthy', accounts: 60, targetVideos: 10, dripPerDay: 3, coverLikes: 3, region: 'eu-west' },
      { label: 'drip-trickle', kind: 'stealthy', accounts: 100, targetVideos: 20, dripPerDay: 1, coverLikes: 5, region: 'us-east' },
      { label: 'drip-aged', kind: 'stealthy', accounts: 100, targetVideos: 15, dripPerDay: 3, coverLikes: 5, accountAgeDays: [400, 2500], region: 'us-east' },
    ],
  },
  load: {
    scenarios: {
      sessions: { executor: 'constant-arrival-rate', rate: 400, timeUnit: '1s', duration: `${6 * DAY_S}s`, preAllocatedVUs: 200, maxVUs: 2000 },
    },
  },
  faults: [
    { kind: 'bot-purge', startS: 2 * DAY_S - 10, endS: 2 * DAY_S },
    { kind: 'bot-purge', startS: 4 * DAY_S - 10, endS: 4 * DAY_S },
    { kind: 'bot-purge', startS: 6 * DAY_S - 10, endS: 6 * DAY_S },
  ],
  checks: { config: { 'purge-accuracy': { maxGenuineLikesRemovedRatio: 0.001 } } },
})
