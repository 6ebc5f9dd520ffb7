// Farm traits (sim/farm-traits.ts): each one changes what it says it changes, and a world without
// traits is the world it was before them, draw for draw.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { generateFarmOps, type FarmOps } from '../../sim/farm-traffic.ts'
import { farmTraitNames } from '../../sim/farm-traits.ts'
import { OpKind } from '../../sim/operation.ts'
import { buildPopulation, DAY_MS, UserKind, type Population } from '../../sim/population.ts'
import { Rng } from '../../sim/rng.ts'
import { accountCount, resolveWorldSpec, validateWorldSpec, type WorldSpec, type WorldSpecInput } from '../../sim/world-spec.ts'
import schema from '../../result/result-schema.json' with { type: 'json' }

const DURATION_MS = 300_000
const BASE: WorldSpecInput = { genuineUsers: 600, creators: 30, videos: 120 }

function world(input: WorldSpecInput, seed = 11): { spec: WorldSpec; p: Population; ops: FarmOps[] } {
  const spec = resolveWorldSpec({ ...BASE, ...input })
  expect(validateWorldSpec(spec, DURATION_MS / 1000)).toEqual([])
  const rng = new Rng(seed)
  const p = buildPopulation(spec, rng)
  const ops = p.farms.map((farm) =>
    generateFarmOps(farm.index, p, DURATION_MS, rng.stream(`farm-ops-${farm.index}`), { behaviour: spec.behaviour, dayLengthS: spec.dayLengthS, traits: rng.stream(`farm-trait-ops-${farm.index}`) }),
  )
  return { spec, p, ops }
}

function rowsOf(ops: FarmOps): Array<{ atMs: number; kind: number; user: number; video: number; watchMs: number }> {
  return Array.from(ops.atMs, (atMs, i) => ({ atMs, kind: ops.kind[i] as number, user: ops.user[i] as number, video: ops.video[i] as number, watchMs: ops.watchMs[i] as number }))
}

const ageDays = (p: Population, user: number): number => -(p.createdAtMs[user] as number) / DAY_MS
const idleDays = (p: Population, user: number): number => -(p.lastActiveAtMs[user] as number) / DAY_MS

describe('farm traits', () => {
  it('leave a world without traits as it was (digest taken before the traits existed)', () => {
    const spec = resolveWorldSpec({
      ...BASE,
      inactiveAccounts: 20,
      farms: [{ kind: 'careless', accounts: 40 }, { kind: 'stealthy', accounts: 30 }, { kind: 'flood', accounts: 5, burstS: 5 }],
      fanGroups: [{ members: 20 }],
    })
    const rng = new Rng(11)
    const p = buildPopulation(spec, rng)
    const h = createHash('sha256')
    for (const a of [p.truth.kind, p.truth.farm, p.createdAtMs, p.lastActiveAtMs, p.uploads, p.followers, p.activity, p.userRegion, p.videoCreator, p.rankToVideo]) h.update(Buffer.from(a.buffer, a.byteOffset, a.byteLength))
    // As arrays and records, whatever the storage (packed strings, columns): the digest predates them.
    h.update(JSON.stringify([[...p.userIds], [...p.handles], [...p.ips], [...p.importedLikes].map(({ user, video, atMs }) => ({ user, video, atMs }))]))
    for (const f of p.farms) {
      h.update(Buffer.from(f.members.buffer))
      h.update(Buffer.from(f.targets.buffer))
      const ops = generateFarmOps(f.index, p, DURATION_MS, rng.stream(`farm-ops-${f.index}`))
      for (const a of [ops.atMs, ops.kind, ops.user, ops.video, ops.watchMs]) h.update(Buffer.from(a.buffer, a.byteOffset, a.byteLength))
    }
    expect(h.digest('hex')).toBe('1aa3095aeddef57015f51ec09d31000bdc8db8dbec0d8e314509795a78206b14')
  })

  it('aged accounts are as old as sold, with a person\'s followers and idle time', () => {
    const { p } = world({ farms: [{ kind: 'stealthy', accounts: 60, accountAgeDays: [800, 1200] }, { kind: 'stealthy', accounts: 60 }] })
    const [aged, plain] = p.farms
    for (const user of aged!.members) {
      expect(ageDays(p, user)).toBeGreaterThanOrEqual(800)
      expect(ageDays(p, user)).toBeLessThanOrEqual(1200)
      expect(idleDays(p, user)).toBeLessThanOrEqual(20)
    }
    expect(Array.from(plain!.members).filter((user) => ageDays(p, user) < 800).length).toBeGreaterThan(20)
  })

  it('hijacked accounts have people\'s facts and addresses, a person\'s history before the takeover and the farm\'s burst after', () => {
    const { p, ops } = world({ farms: [{ kind: 'careless', accounts: 40, hijacked: true, takeoverS: 150, startS: 160, burstS: 30, ipBlocks: 1 }] })
    const farm = p.farms[0]!
    const rows = rowsOf(ops[0]!)
    const targets = new Set(farm.targets)
    for (const user of farm.members) expect(ageDays(p, user)).toBeGreaterThanOrEqual(60)
    // Residential: spread over the people's blocks, not the farm's one /24.
    expect(new Set(Array.from(farm.members, (user) => p.ips.get(user)!.split('.').slice(0, 3).join('.'))).size).toBeGreaterThan(3)
    const before = rows.filter((row) => row.atMs < 150_000)
    expect(before.filter((row) => row.kind === OpKind.View).length).toBeGreaterThan(40 * 5)
    expect(before.every((row) => !targets.has(row.video) || row.kind === OpKind.View)).toBe(true)
    const watch = before.filter((row) => row.kind === OpKind.View).map((row) => row.watchMs).sort((a, b) => a - b)
    expect(watch[Math.floor(watch.length / 2)]).toBeGreaterThan(3000) // people watch longer than a farm's 1-3 s
    const after = rows.filter((row) => row.atMs >= 150_000)
    expect(after.every((row) => row.kind === OpKind.Like && targets.has(row.video) && row.atMs >= 160_000 && row.atMs <= 190_000)).toBe(true)
    expect(after.length).toBeGreaterThan(100)
  })

  it('paid humans watch every video before liking it, as long as people do', () => {
    const { p, ops } = world({ farms: [{ kind: 'stealthy', accounts: 30, paidHumans: true }] })
    const rows = rowsOf(ops[0]!)
    const likes = rows.filter((row) => row.kind === OpKind.Like)
    expect(likes.length).toBeGreaterThan(100)
    for (const like of likes) expect(rows.some((row) => row.kind === OpKind.View && row.user === like.user && row.video === like.video && row.atMs <= like.atMs)).toBe(true)
    const watch = rows.filter((row) => row.kind === OpKind.View).map((row) => row.watchMs).sort((a, b) => a - b)
    expect(watch[Math.floor(watch.length / 2)]).toBeGreaterThan(3000)
    for (const user of p.farms[0]!.members) expect(ageDays(p, user)).toBeGreaterThanOrEqual(60)
  })

  it('a drip farm likes at its daily rate, spread over the run; a plain stealthy farm likes everything it will', () => {
    const { spec, ops } = world({ farms: [{ kind: 'stealthy', accounts: 50, dripPerDay: 2 }, { kind: 'stealthy', accounts: 50 }] })
    const days = DURATION_MS / (spec.dayLengthS * 1000)
    const drip = rowsOf(ops[0]!).filter((row) => row.kind === OpKind.Like)
    const plain = rowsOf(ops[1]!).filter((row) => row.kind === OpKind.Like)
    // 2 a day over 1.25 days: about 2.5 likes an account, against ~20 for the plain farm.
    expect(drip.length / 50).toBeGreaterThan(0.5 * 2 * days)
    expect(drip.length / 50).toBeLessThan(1.6 * 2 * days)
    expect(plain.length / 50).toBeGreaterThan(15)
    expect(Math.max(...drip.map((row) => row.atMs)) - Math.min(...drip.map((row) => row.atMs))).toBeGreaterThan(DURATION_MS * 0.8)
  })

  it('sleepers are silent before they wake, and were idle for weeks before the run', () => {
    const { p, ops } = world({ farms: [{ kind: 'stealthy', accounts: 40, sleepUntilS: 200 }] })
    const rows = rowsOf(ops[0]!)
    expect(rows.length).toBeGreaterThan(100)
    expect(Math.min(...rows.map((row) => row.atMs))).toBeGreaterThanOrEqual(200_000 - 3000) // a view may lead its like by its watch time
    expect(rows.filter((row) => row.kind === OpKind.Like).every((row) => row.atMs >= 200_000)).toBe(true)
    for (const user of p.farms[0]!.members) expect(idleDays(p, user)).toBeGreaterThanOrEqual(20)
  })

  it('a view farm makes views of its targets and no likes', () => {
    const { p, ops } = world({ farms: [{ kind: 'careless', accounts: 40, viewsOnly: true }] })
    const rows = rowsOf(ops[0]!)
    expect(rows.length).toBeGreaterThan(100)
    expect(rows.every((row) => row.kind === OpKind.View && p.farms[0]!.targets.includes(row.video))).toBe(true)
  })

  it('a reused farm\'s accounts are its original\'s (no accounts of its own), on other targets', () => {
    const { spec, p, ops } = world({
      farms: [
        { label: 'first', kind: 'careless', accounts: 40, startS: 30 },
        { label: 'second', kind: 'careless', accounts: 30, reuseOf: 'first', startS: 150 },
      ],
    })
    expect(accountCount(spec)).toBe(600 + 40)
    const [first, second] = p.farms
    expect(Array.from(second!.members)).toEqual(Array.from(first!.members).slice(0, 30))
    expect(Array.from(second!.members).every((user) => p.truth.farm[user] === 0 && p.truth.kind[user] === UserKind.CarelessBot)).toBe(true)
    expect(Array.from(second!.targets)).not.toEqual(Array.from(first!.targets))
    expect(rowsOf(ops[1]!).every((row) => row.atMs >= 150_000 && second!.targets.includes(row.video))).toBe(true)
  })

  it('a returning farm runs its campaign again, with replacements silent until the return', () => {
    const { p, ops } = world({ farms: [{ kind: 'careless', accounts: 40, startS: 30, burstS: 30, returnsAfterPurgeS: 200 }] })
    const farm = p.farms[0]!
    expect(farm.fresh.length).toBe(12)
    const rows = rowsOf(ops[0]!)
    const fresh = new Set(farm.fresh)
    const first = rows.filter((row) => row.atMs <= 60_000)
    const second = rows.filter((row) => row.atMs >= 200_000)
    expect(first.length + second.length).toBe(rows.length)
    expect(first.some((row) => fresh.has(row.user))).toBe(false)
    expect(second.some((row) => fresh.has(row.user))).toBe(true)
    expect(second.some((row) => !fresh.has(row.user))).toBe(true)
  })

  it('refuses traits that do not fit, each with its field', () => {
    const problems = validateWorldSpec(
      resolveWorldSpec({
        ...BASE,
        farms: [
          { kind: 'careless', accounts: 10, dripPerDay: 3 },
          { kind: 'stealthy', accounts: 10, hijacked: true },
          { kind: 'careless', accounts: 10, reuseOf: 'nobody' },
          { kind: 'flood', accounts: 5, burstS: 5, viewsOnly: true },
          { kind: 'careless', accounts: 10, sleepUntilS: 100, startS: 30 },
          { kind: 'stealthy', accounts: 10, accountAgeDays: [50, 10] },
        ],
      }),
      300,
    )
    expect(problems).toEqual([
      'world.farms[0].dripPerDay: only for a stealthy farm (a careless farm bursts)',
      'world.farms[1].takeoverS: a hijacked farm needs the time of its takeover',
      'world.farms[2].reuseOf: no earlier farm is labelled nobody',
      'world.farms[3]: a flood takes no farm traits (got viewsOnly)',
      'world.farms[4].startS: the burst starts before the farm is active (100s)',
      'world.farms[5].accountAgeDays: needs 1 <= min <= max <= 4000, got [50, 10]',
    ])
  })

  it('names the traits the result schema allows', () => {
    const all = farmTraitNames({ accountAgeDays: [1, 2], hijacked: true, paidHumans: true, dripPerDay: 1, sleepUntilS: 1, reuseOf: 'x', returnsAfterPurgeS: 1, viewsOnly: true })
    const allowed = (schema as { definitions: { farmQuality: { properties: { traits: { items: { enum: string[] } } } } } }).definitions.farmQuality.properties.traits.items.enum
    expect(all).toEqual(allowed)
  })
})
