// detection.byFarm: one entry per farm of the world, with its label, traits, recall and cost, in a
// small run of a hand-built scenario; the result stays valid against the schema.
import { describe, expect, it } from 'vitest'
import { validateResult } from '../../../result/result-schema.ts'
import { scenarioByName } from '../../../scenarios/library/index.ts'
import { runScenario } from '../../../scenarios/run/runner.ts'
import type { Scenario } from '../../../scenarios/scenario.ts'
import { FARM_PRICES_USD } from '../../../sim/farm-cost.ts'
import { OpKind } from '../../../sim/operation.ts'

const botPurge = scenarioByName('bot-purge') as Scenario

const SCENARIO: Scenario = {
  ...botPurge,
  name: 'farm-quality-small',
  minScale: 0.1,
  durationS: 120,
  world: {
    ...botPurge.world,
    fanGroups: [{ members: 100, creatorRank: 40, ipBlocks: 2 }],
    farms: [
      { label: 'burst', kind: 'careless', accounts: 500, targetVideos: 12, startS: 20, burstS: 30, ipBlocks: 2, region: 'us-east' },
      { kind: 'careless', accounts: 100, targetVideos: 10, viewsOnly: true, startS: 30, burstS: 20, ipBlocks: 1, region: 'us-east' },
      { label: 'again', kind: 'careless', accounts: 200, targetVideos: 10, reuseOf: 'burst', startS: 60, burstS: 20, region: 'us-east' },
    ],
  },
  load: { scenarios: { sessions: { executor: 'constant-arrival-rate', rate: 300, timeUnit: '1s', duration: '120s', preAllocatedVUs: 100, maxVUs: 1000 } } },
  faults: [{ kind: 'bot-purge', startS: 100, endS: 110 }],
  checks: { config: { 'purge-accuracy': { maxGenuineLikesRemovedRatio: 0.001 } } },
}

describe('detection.byFarm', () => {
  it('reports each farm by label with its traits, accounts purged, recall and cost', () => {
    const { result, population, history } = runScenario({ scenario: SCENARIO, seed: 4, scale: 0.2, strategy: 'robust' })
    expect(validateResult(result)).toEqual([])
    const byFarm = result.detection?.byFarm ?? []
    expect(byFarm.map((farm) => [farm.label, farm.kind, farm.traits])).toEqual([
      ['burst', 'careless', []],
      ['careless-1', 'careless', ['viewsOnly']],
      ['again', 'careless', ['reuse']],
    ])
    const [burst, views, again] = byFarm
    expect(burst?.accounts).toBe(100)
    expect(again?.accounts).toBe(40)
    // The lockstep farm is caught; its reuse shares its accounts, so their purges agree.
    expect(burst?.recall).toBeGreaterThan(0.9)
    expect(burst?.precision).toBeGreaterThan(0.99)
    const purgedOfAgain = Array.from(population.farms[2]!.members).filter((user) => result.detection?.purged?.accounts.some((a) => a.userId === population.userIds.get(user)))
    expect(again?.purged).toBe(purgedOfAgain.length)
    // A view farm delivers views and no likes; a reused farm bought no accounts.
    expect(views?.paidLikes).toBe(0)
    expect(views?.paidViews).toBeGreaterThan(50)
    expect(burst?.paidLikes).toBeGreaterThan(200)
    expect(views?.costUsd).toBeCloseTo(20 * FARM_PRICES_USD.account.careless + (views?.paidViews ?? 0) * FARM_PRICES_USD.view, 2)
    expect(again?.costUsd).toBeCloseTo((again?.paidLikes ?? 0) * FARM_PRICES_USD.like, 2)
    // The totals by kind still count each account once.
    expect(result.detection?.byFarmKind.careless.accounts).toBe(120)
    // robust's purge took the purged accounts' views with them: the view farm's inflation before
    // and after is its views, then those of the accounts the purge missed.
    const purged = new Set(history.faults.flatMap((fault) => fault.purge?.accounts ?? []))
    const farm = population.farms[1]!
    const targets = new Set(farm.targets)
    let left = 0
    for (let i = 0; i < history.length; i++) if (history.isAcknowledged(i, OpKind.View) && targets.has(history.videoOf(i)) && farm.members.includes(history.userOf(i)) && !purged.has(history.userOf(i))) left++
    expect(views?.purged).toBeGreaterThan(0)
    expect(views?.paidViewsLeft).toBe(left)
    expect(left).toBeLessThan((views?.paidViews ?? 0) / 10)
  })

  it('says nothing of views left where no purge removed any (naive keeps purged accounts\' views)', () => {
    const { result } = runScenario({ scenario: SCENARIO, seed: 4, scale: 0.2, strategy: 'naive' })
    expect(result.detection?.byFarm?.map((farm) => farm.paidViewsLeft)).toEqual([undefined, undefined, undefined])
    expect(result.detection?.purged?.views).toBeUndefined()
  })
})
