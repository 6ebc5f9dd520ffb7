// Farm accounts' facts (age, idle time, followers, uploads) beyond the draws by kind in
// account-facts.ts: first drawn to overlap people's, then changed by the farms' traits. Each step
// draws from a stream of its own, so a world without the step draws exactly as before.
import { logNormal } from './distributions.ts'
import type { Rng } from './rng.ts'
import { DAY_MS, UserKind } from './user-kind.ts'
import type { WorldSpec } from './world-spec.ts'

/** An account fact per column, indexed by user. */
export interface FactColumns {
  readonly createdAtMs: Float64Array
  readonly lastActiveAtMs: Float64Array
  readonly uploads: Int32Array
  readonly followers: Int32Array
}

/**
 * Farm accounts' facts drawn from ranges that overlap people's (issue 18): bought and farmed
 * accounts come in every age, some with followers and uploads, so that no account fact is a
 * boundary a rule can sit on; behaviour has to tell them apart. Drawn from their own stream after
 * the people's facts, which stay as they were. Careless farms skew young and empty, stealthy
 * farms look like anybody.
 */
export function overlapFarmFacts({
  rng,
  kind,
  createdAtMs,
  lastActiveAtMs,
  uploads,
  followers,
}: {
  rng: Rng
  kind: Uint8Array
  createdAtMs: Float64Array
  lastActiveAtMs: Float64Array
  uploads: Int32Array
  followers: Int32Array
}): void {
  const facts = rng.stream('farm-facts')
  for (let user = 0; user < kind.length; user++) {
    const k = kind[user]
    if (k !== UserKind.CarelessBot && k !== UserKind.StealthyBot) continue
    const careless = k === UserKind.CarelessBot
    const ageDays = Math.min(4000, Math.max(1, logNormal(facts, { median: careless ? 40 : 400, sigma: careless ? 1.2 : 1.1 })))
    const idleDays = Math.min(ageDays, facts.between(0, 20))
    followers[user] = Math.floor(logNormal(facts, { median: careless ? 6 : 25, sigma: 1.5 }))
    uploads[user] = facts.chance(careless ? 0.1 : 0.3) ? 1 + facts.int(4) : 0
    createdAtMs[user] = -ageDays * DAY_MS
    lastActiveAtMs[user] = -idleDays * DAY_MS
  }
}

/**
 * Traits that change facts (sim/farm-traits.ts): hijacked accounts and paid humans are people's
 * accounts, drawn as people's are (population.ts); aged accounts are as old as they were sold;
 * sleepers have been idle for weeks. From the 'farm-traits' stream, only when a farm has one.
 */
export function traitFarmFacts({ spec, rng, farmOf, ...columns }: FactColumns & { spec: WorldSpec; rng: Rng; farmOf: Int16Array }): void {
  const changes = spec.farms.some((farm) => farm.hijacked === true || farm.paidHumans === true || farm.accountAgeDays !== undefined || farm.sleepUntilS !== undefined)
  if (!changes) return
  const facts = rng.stream('farm-traits')
  const { createdAtMs, lastActiveAtMs, uploads, followers } = columns
  for (let user = 0; user < farmOf.length; user++) {
    const farm = spec.farms[farmOf[user] as number]
    if (farm === undefined) continue
    let ageDays = -(createdAtMs[user] as number) / DAY_MS
    let idleDays = -(lastActiveAtMs[user] as number) / DAY_MS
    if (farm.hijacked === true || farm.paidHumans === true) {
      ageDays = Math.min(4000, Math.max(60, logNormal(facts, { median: 700, sigma: 0.8 })))
      idleDays = facts.between(0, 20)
      followers[user] = Math.floor(logNormal(facts, { median: 30, sigma: 1.5 }))
      uploads[user] = 0
    }
    if (farm.accountAgeDays !== undefined) {
      ageDays = facts.between(farm.accountAgeDays[0], farm.accountAgeDays[1])
      idleDays = facts.between(0, 20)
      followers[user] = Math.floor(logNormal(facts, { median: 30, sigma: 1.5 }))
    }
    if (farm.sleepUntilS !== undefined) idleDays = facts.between(20, 90)
    createdAtMs[user] = -ageDays * DAY_MS
    lastActiveAtMs[user] = -Math.min(idleDays, ageDays) * DAY_MS
  }
}
