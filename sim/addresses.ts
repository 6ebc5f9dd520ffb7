// Accounts' IPv4 addresses: genuine users sit in their home region's carrier blocks, careless
// farms and floods in small pools of their own. The address is one of the few signals a platform
// has about an account, so where each kind of account connects from is part of the world's truth.
import { hostIn, uniqueIpBlock } from './ids.ts'
import { Ipv4Column } from './ipv4-column.ts'
import type { Rng } from './rng.ts'
import { UserKind } from './user-kind.ts'
import type { WorldSpec } from './world-spec.ts'

/** Every account's address, from the run's 'ips' stream (fan groups move theirs later). */
export function assignAddresses({
  spec,
  rng,
  kind,
  farmOf,
  userRegion,
  regionCount,
}: {
  spec: WorldSpec
  rng: Rng
  kind: Uint8Array
  farmOf: Int16Array
  userRegion: Uint8Array
  regionCount: number
}): Ipv4Column {
  const stream = rng.stream('ips')
  const taken = new Set<string>()
  const regionBlocks: string[][] = Array.from({ length: regionCount }, () => [])
  const genuinePerRegion = new Array<number>(regionCount).fill(0)
  for (let user = 0; user < kind.length; user++) {
    if (kind[user] === UserKind.Genuine) genuinePerRegion[userRegion[user] as number] = (genuinePerRegion[userRegion[user] as number] as number) + 1
  }
  for (let region = 0; region < regionCount; region++) {
    const blocks = Math.max(1, Math.ceil((genuinePerRegion[region] as number) / spec.usersPerIpBlock))
    for (let i = 0; i < blocks; i++) regionBlocks[region]?.push(uniqueIpBlock(stream, taken))
  }
  const farmBlocks = spec.farms.map((farm) => Array.from({ length: farm.ipBlocks }, () => uniqueIpBlock(stream, taken)))
  const ips = new Ipv4Column(kind.length)
  for (let user = 0; user < kind.length; user++) {
    const k = kind[user]
    const blocks = regionBlocks[userRegion[user] as number] as string[]
    // Careless farms and floods use their own small pools; stealthy farms rent residential
    // addresses, indistinguishable from the carrier pools genuine users sit in, and hijacked
    // accounts and paid humans are on their owners' home networks.
    const farm = spec.farms[farmOf[user] as number]
    const residential = farm?.hijacked === true || farm?.paidHumans === true
    const pool = (k === UserKind.CarelessBot || k === UserKind.Flood) && !residential ? (farmBlocks[farmOf[user] as number] as string[]) : blocks
    ips.set(user, hostIn(stream, stream.pick(pool)))
  }
  return ips
}
