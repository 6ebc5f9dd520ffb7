// The facts a platform knows about an account (age, when it was last active, uploads,
// followers): drawn by kind from the run's 'account-facts' stream, then the farms' own steps
// (sim/farm-facts.ts). Creators' uploads and followers are added later, with their videos.
import { logNormal } from './distributions.ts'
import { overlapFarmFacts, traitFarmFacts, type FactColumns } from './farm-facts.ts'
import type { Rng } from './rng.ts'
import { DAY_MS, UserKind } from './user-kind.ts'
import type { WorldSpec } from './world-spec.ts'

/** Every account's facts, one column each, indexed by user. */
export function drawAccountFacts({ spec, rng, kind, farmOf }: { spec: WorldSpec; rng: Rng; kind: Uint8Array; farmOf: Int16Array }): FactColumns {
  const userCount = kind.length
  const createdAtMs = new Float64Array(userCount)
  const lastActiveAtMs = new Float64Array(userCount)
  const uploads = new Int32Array(userCount)
  const followers = new Int32Array(userCount)
  const facts = rng.stream('account-facts')
  for (let user = 0; user < userCount; user++) {
    const k = kind[user] as number
    let ageDays: number
    let idleDays: number
    if (k === UserKind.CarelessBot || k === UserKind.Flood) {
      ageDays = facts.between(1, 30)
      idleDays = facts.between(0, 2)
      followers[user] = facts.int(4)
    } else if (k === UserKind.StealthyBot) {
      ageDays = facts.between(10, 59)
      idleDays = facts.between(0, 2)
      followers[user] = facts.int(30)
      if (facts.chance(0.15)) uploads[user] = 1 + facts.int(2)
    } else if (k === UserKind.Inactive) {
      ageDays = facts.between(400, 2500)
      idleDays = facts.between(91, 380)
      followers[user] = Math.floor(logNormal(facts, { median: 20, sigma: 1.2 }))
    } else {
      ageDays = facts.chance(spec.newAccountShare) ? facts.between(1, 59) : Math.min(4000, Math.max(60, logNormal(facts, { median: 700, sigma: 0.8 })))
      idleDays = facts.between(0, 20)
      followers[user] = Math.floor(logNormal(facts, { median: 30, sigma: 1.5 }))
    }
    createdAtMs[user] = -ageDays * DAY_MS
    lastActiveAtMs[user] = -Math.min(idleDays, ageDays) * DAY_MS
  }
  if (spec.farms.some((farm) => farm.kind !== 'flood')) overlapFarmFacts({ rng, kind, createdAtMs, lastActiveAtMs, uploads, followers })
  traitFarmFacts({ spec, rng, farmOf, createdAtMs, lastActiveAtMs, uploads, followers })
  return { createdAtMs, lastActiveAtMs, uploads, followers }
}
