// A counting system's counters, flat and named as the server's metrics and the result read them:
// the front door's, the system's own, the idempotency keys', the replication's and the notifications'.
// The order of the keys is the order they are written in (results are compared byte for byte).
import type { NotificationCounters } from '../../core/notifications.ts'
import type { ReplicationCounters } from '../replication/replicator.ts'
import type { FrontDoorCounters } from './front-door.ts'
import type { KeyedCounters } from './keyed-writes.ts'

/** What a counting system counts itself: reads answered stale or zero, and cache calls that timed out. */
export interface ReadCounters {
  staleReads: number
  degradedZeroReads: number
  cacheTimeouts: number
}

export function systemCounters(parts: { door: FrontDoorCounters; reads: ReadCounters; keys: KeyedCounters; replication: ReplicationCounters; notifications: NotificationCounters }): Readonly<Record<string, number>> {
  const { replication, notifications } = parts
  return {
    ...parts.door,
    ...parts.reads,
    ...parts.keys,
    replicationApplied: replication.applied,
    replicationDropped: replication.dropped,
    replicationOverflows: replication.overflows,
    replicationOverflowedEntries: replication.overflowedEntries,
    replicationResyncs: replication.resyncs,
    replicationResyncedPairs: replication.resyncedPairs,
    replicationLogEntries: replication.retained,
    notificationsSent: notifications.sent,
    notificationsDelivered: notifications.delivered,
    notificationsDropped: notifications.dropped,
  }
}
