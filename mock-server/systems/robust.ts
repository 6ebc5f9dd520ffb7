// robust: what we would ship. An idempotent like set per region (an LWW-element-set: the count is
// |likers|, so retries and double taps cannot inflate it), sharded counters, replication that
// retransmits until acknowledged, fast 503s under overload, per-client rate limits, and reads that
// serve the last known good count marked stale when the cache fails (never a made-up 0). A purge
// removes the account's likes and its views, in every region.
import { CountingSystem } from './counting/counting-system.ts'
import type { CountingDesign } from './counting/design.ts'
import { AckedReplication, type AckedMessage } from './replication/acked.ts'
import { SYSTEM_INTERFACE_VERSION, type SystemModule } from './system.ts'

export const ROBUST_DESIGN: CountingDesign = {
  honourIdempotencyKeys: true,
  countFromLikeSet: true,
  degradedRead: 'last-known-good',
  reportsStaleness: true,
  queueMaxMs: 200,
  notificationsOnOverload: 'defer',
  clientRateLimit: { ratePerS: 50, burst: 100 },
  counterShards: 16,
  takedownEvictsCounts: false,
  durablePurges: true,
  removesPurgedViews: true,
}

export const robust: SystemModule<AckedMessage> = {
  interfaceVersion: SYSTEM_INTERFACE_VERSION,
  name: 'robust',
  description:
    'idempotent like set, per-region CRDT counts over sharded counters, replication retransmitted until acknowledged, fast 503s under overload, per-client rate limits, last-known-good reads marked stale (never a made-up 0)',
  writesWaitOnCache: false,
  // A purge takes the account's views out of the counts too (counting/account-views.ts).
  removesPurgedViews: ROBUST_DESIGN.removesPurgedViews,
  create: (env, settings) =>
    new CountingSystem(env, settings, ROBUST_DESIGN, (replicas) => new AckedReplication({ env, replicas, backlogMaxEntries: settings.replicationBacklogMaxEntries })),
}
