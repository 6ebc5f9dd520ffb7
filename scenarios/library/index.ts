// The scenario library, by name, in the order the tour runs them.
import type { Scenario } from '../scenario.ts'
import { baseline } from './baseline.ts'
import { botPurge } from './bot-purge.ts'
import { cacheOutage } from './cache-outage.ts'
import { ddos } from './ddos.ts'
import { fanGroup } from './fan-group.ts'
import { flashCrowd } from './flash-crowd.ts'
import { inactivePurge } from './inactive-purge.ts'
import { likeFlap } from './like-flap.ts'
import { overloadVirginia } from './overload-virginia.ts'
import { partition } from './partition.ts'
import { regionFailover } from './region-failover.ts'
import { soak } from './soak.ts'
import { storm } from './storm.ts'
import { takedown } from './takedown.ts'

export const LIBRARY: readonly Scenario[] = [
  baseline,
  overloadVirginia,
  regionFailover,
  partition,
  botPurge,
  fanGroup,
  inactivePurge,
  likeFlap,
  cacheOutage,
  flashCrowd,
  ddos,
  takedown,
  storm,
  soak,
]

export function scenarioByName(name: string): Scenario | undefined {
  return LIBRARY.find((scenario) => scenario.name === name)
}
