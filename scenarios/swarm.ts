// Swarm testing (Groce et al., ISSTA 2012; FoundationDB's BUGGIFY; TigerBeetle's VOPR): each run
// draws, from its own seed, a random subset of fault types and behaviours with random times and
// places, so that combinations nobody wrote a scenario for get exercised. A swarm scenario is a
// pure function of its seed: `swarm-<seed>` names it, and `likestorm run swarm-<seed> --seed
// <seed>` replays it exactly.
import { Rng, type RandomStream } from '../sim/rng.ts'
import { DEFAULT_REGIONS } from '../sim/regions.ts'
import type { FaultSpec } from '../sim/faults.ts'
import type { FarmSpec } from '../sim/world-spec.ts'
import type { Scenario } from './scenario.ts'

export const SWARM_PREFIX = 'swarm-'
const DURATION_S = 60
/** Each fault type is switched on with this probability per run (BUGGIFY uses 25%; swarm testing 50%). */
const FAULT_P = 0.4

export function isSwarmName(name: string): boolean {
  return /^swarm-\d{1,15}$/.test(name)
}

export function swarmScenarioByName(name: string): Scenario | undefined {
  return isSwarmName(name) ? swarmScenario(Number(name.slice(SWARM_PREFIX.length))) : undefined
}

/** The seed of the i-th run of a swarm started from `seed` (SplitMix-style mixing, 47 bits). */
export function swarmRunSeed(seed: number, run: number): number {
  let x = BigInt.asUintN(64, BigInt(seed) * 0x9e3779b97f4a7c15n + BigInt(run + 1) * 0xbf58476d1ce4e5b9n)
  x = BigInt.asUintN(64, (x ^ (x >> 30n)) * 0xbf58476d1ce4e5b9n)
  x = BigInt.asUintN(64, (x ^ (x >> 27n)) * 0x94d049bb133111ebn)
  x ^= x >> 31n
  return Number(x & 0x7fffffffffffn)
}

export function swarmScenario(seed: number): Scenario {
  const s = new Rng(seed).stream('swarm')
  const regions = DEFAULT_REGIONS.map((region) => region.id)
  const window = (minLengthS: number, maxLengthS: number): { startS: number; endS: number } => {
    const length = Math.round(s.between(minLengthS, maxLengthS))
    const startS = 5 + s.int(DURATION_S - 10 - length)
    return { startS, endS: startS + length }
  }
  const faults: FaultSpec[] = []
  const farms: SwarmFarm[] = []
  const chosen: string[] = []
  const maybe = (name: string, add: () => void): void => {
    if (!s.chance(FAULT_P)) return
    chosen.push(name)
    add()
  }
  maybe('overload', () => faults.push({ kind: 'overload', region: s.pick(regions), factor: Math.round(s.between(2, 4) * 10) / 10, ...window(8, 25) }))
  maybe('region-outage', () => faults.push({ kind: 'region-outage', region: s.pick(regions), ...window(5, 20) }))
  maybe('partition', () => {
    const [a, b] = s.shuffle([...regions])
    faults.push({ kind: 'partition', a: a as string, b: b as string, ...window(5, 25) })
  })
  maybe('slow-cache', () => faults.push({ kind: 'slow-cache', region: s.pick(regions), latencyMs: Math.round(s.between(60, 600)), ...window(5, 25) }))
  maybe('takedown', () => faults.push({ kind: 'takedown', videoRanks: Array.from(new Set(Array.from({ length: 1 + s.int(4) }, () => 1 + s.int(200)))), ...window(5, 20) }))
  maybe('ddos', () => faults.push({ kind: 'ddos', region: s.pick(regions), accounts: 20 + s.int(40), ipBlocks: 1 + s.int(3), requestsPerS: 20 + s.int(20), ...window(5, 20) }))
  let inactiveAccounts = 0
  maybe('inactive-purge', () => {
    inactiveAccounts = 400 + s.int(400)
    const at = 10 + s.int(DURATION_S - 20)
    faults.push({ kind: 'inactive-purge', idleDays: 90, startS: at, endS: at + 1 })
  })
  maybe('bot-purge', () => {
    const burstStartS = 3 + s.int(15)
    farms.push({ kind: 'careless', accounts: 60 + s.int(120), targetVideos: 10 + s.int(6), startS: burstStartS, burstS: 10 + s.int(10), ipBlocks: 1 + s.int(3), region: s.pick(regions) })
    if (s.chance(0.5)) farms.push({ kind: 'stealthy', accounts: 30 + s.int(60), targetVideos: 10 + s.int(10), coverLikes: 5 + s.int(10), region: s.pick(regions) })
    const at = burstStartS + 32 + s.int(DURATION_S - burstStartS - 40)
    faults.push({ kind: 'bot-purge', startS: at, endS: at + 1 })
    // From a stream of its own, so the draws above (and every swarm run before farm traits) stay as they were.
    const traited = traitedFarm(new Rng(seed).stream('swarm-farm-traits'), { regions, purgeAtS: at })
    if (traited !== undefined) {
      farms.push(traited)
      chosen.push(`${traited.label} farm`)
    }
  })
  const flash = s.chance(0.3)
  if (flash) chosen.push('flash-crowd')
  const behaviour = pickBehaviour(s, chosen)
  return {
    name: `${SWARM_PREFIX}${seed}`,
    title: `Swarm run ${seed}`,
    summary: `A swarm run drawn from seed ${seed}: ${chosen.length === 0 ? 'no faults' : chosen.join(', ')}. Every invariant must hold whatever the mix.`,
    durationS: DURATION_S,
    world: {
      genuineUsers: 6000,
      creators: 300,
      videos: 600,
      inactiveAccounts,
      farms,
      behaviour,
      flashCrowds: flash ? [{ videoRank: 2 + s.int(10), ...window(8, 20), factor: 10 + s.int(20) }] : [],
    },
    load: {
      scenarios: {
        sessions: { executor: 'constant-arrival-rate', rate: 250, timeUnit: '1s', duration: `${DURATION_S}s`, preAllocatedVUs: 50, maxVUs: 1000 },
      },
    },
    faults,
    system: { capacityRps: Object.fromEntries(regions.map((id) => [id, 500])) },
    checks: {
      config: {
        // Precision protects real users whatever the mix; recall depends on the mix, so it is reported.
        'purge-accuracy': { minPrecision: { careless: 0.99 }, maxGenuineLikesRemovedRatio: 0.001 },
        convergence: { deadlineS: 20 },
      },
    },
    expect: { robust: { failing: [] } },
  }
}

/** A farm as a scenario states it: the world fills in the rest (DEFAULT_FARM). */
type SwarmFarm = Partial<FarmSpec> & Pick<FarmSpec, 'kind' | 'accounts'>

/** Share of swarm runs with a bot purge that add a farm from the farm library (docs/scenarios.md, "Farm traits"). */
const TRAITED_FARM_P = 0.5
const FARM_TRAITS = ['aged', 'hijacked', 'paid-humans', 'drip', 'sleeper', 'views', 'returns'] as const

/** One farm of the farm library with random parameters, or none; the purge is at purgeAtS. */
function traitedFarm(t: RandomStream, { regions, purgeAtS }: { regions: readonly string[]; purgeAtS: number }): SwarmFarm | undefined {
  if (!t.chance(TRAITED_FARM_P)) return undefined
  const trait = t.pick([...FARM_TRAITS])
  const region = t.pick([...regions])
  const label = `swarm-${trait}`
  const stealthy = { kind: 'stealthy', label, region, accounts: 30 + t.int(60), targetVideos: 10 + t.int(10), coverLikes: 5 + t.int(10) } as const
  const burstS = 8 + t.int(8)
  const careless = (startS: number) => ({ kind: 'careless', label, region, accounts: 40 + t.int(80), targetVideos: 10 + t.int(6), startS, burstS, ipBlocks: 1 + t.int(3) }) as const
  switch (trait) {
    case 'aged':
      return { ...stealthy, accountAgeDays: [300, 2500] }
    case 'paid-humans':
      return { ...stealthy, paidHumans: true }
    case 'drip':
      return { ...stealthy, dripPerDay: 2 + t.int(6) }
    case 'sleeper':
      return { ...stealthy, sleepUntilS: 10 + t.int(Math.max(1, purgeAtS - 15)) }
    case 'hijacked': {
      const takeoverS = 3 + t.int(15)
      return { ...careless(takeoverS + 2), hijacked: true, takeoverS }
    }
    case 'views':
      return { ...careless(3 + t.int(15)), viewsOnly: true }
    case 'returns': {
      // Back 2 s after the purge with a burst that must end inside the run; else a plain careless burst earlier.
      const farm = careless(3 + t.int(10))
      const backS = purgeAtS + 2
      return backS + farm.burstS <= DURATION_S && backS > farm.startS + farm.burstS ? { ...farm, returnsAfterPurgeS: backS } : farm
    }
  }
}

function pickBehaviour(s: RandomStream, chosen: string[]): Record<string, number> {
  const behaviour: Record<string, number> = {}
  if (s.chance(0.5)) {
    behaviour['flapSessionP'] = 0.3
    chosen.push('like-flap')
  }
  if (s.chance(0.5)) {
    behaviour['duplicateP'] = 0.1
    chosen.push('duplicates')
  }
  if (s.chance(0.5)) {
    behaviour['secondDeviceP'] = 0.15
    chosen.push('second-devices')
  }
  return behaviour
}
