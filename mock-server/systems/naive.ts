// naive: the 2020-07-23 incident. One cached counter per video that reads 0 when the cache times
// out; retries and double taps count again; one hot counter key per video; deep queues instead of
// shedding and no per-client limits; replication from an in-memory queue, fire and forget, that
// loses what a dead region had not shipped and what a dead or cut-off region did not receive;
// takedowns that evict the count. Its purges remove likes only (the purge is written for the like
// table): a purged account's views keep counting, and its module does not declare removesPurgedViews.
import { CountingSystem } from './counting/counting-system.ts'
import type { CountingDesign } from './counting/design.ts'
import { VolatileReplication, type VolatileMessage } from './replication/volatile.ts'
import { SYSTEM_INTERFACE_VERSION, type SystemModule } from './system.ts'

export const NAIVE_DESIGN: CountingDesign = {
  honourIdempotencyKeys: false,
  countFromLikeSet: false,
  degradedRead: 'zero',
  reportsStaleness: false,
  queueMaxMs: 30_000,
  notificationsOnOverload: 'drop',
  clientRateLimit: null,
  counterShards: 1,
  takedownEvictsCounts: true,
  durablePurges: false,
  removesPurgedViews: false,
}

export const naive: SystemModule<VolatileMessage> = {
  interfaceVersion: SYSTEM_INTERFACE_VERSION,
  name: 'naive',
  description:
    'one cached counter per video: reads 0 when the cache times out, retries and double taps double-count, one hot counter key per video, deep queues instead of shedding and no per-client limits, volatile replication that loses what a dead region had not shipped, takedowns that evict the count',
  writesWaitOnCache: true,
  // No deadline propagation: it queues and executes requests whose clients have timed out.
  honoursDeadlines: false,
  create: (env, settings) => new CountingSystem(env, settings, NAIVE_DESIGN, (replicas) => new VolatileReplication({ env, replicas, backlogMaxEntries: settings.replicationBacklogMaxEntries })),
}
