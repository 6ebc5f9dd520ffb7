// The counts a counting system answers a read with: the region's counts as they are now, the zero a
// design that takes a timed-out cache read for "no likes yet" answers, or the region's last known
// good counts, marked stale. Plain functions writing the reply: they sit on the read's hot path.
import type { RegionReplica } from '../../core/region-replica.ts'
import type { SystemReply } from '../system.ts'

/**
 * A count as answered: a purge's removal of views can reach a region before a view it removes
 * (still on its way there), which leaves the region's count below zero until it lands.
 */
export function shown(count: number): number {
  return count < 0 ? 0 : count
}

/** The region's counts of `video` as its replica has them now. */
export function answerCounts(reply: SystemReply, replica: RegionReplica, video: number, asOfMs: number): SystemReply {
  reply.likeCount = replica.likeCount[video] as number
  reply.viewCount = shown(replica.viewCount[video] as number)
  reply.uniqueViewers = shown(replica.uniqueViewers[video] as number)
  reply.asOfMs = asOfMs
  return reply
}

/** The 2020-07-23 symptom: a timed-out cache read is taken for "no likes yet". */
export function answerZeroCounts(reply: SystemReply, asOfMs: number): SystemReply {
  reply.likeCount = 0
  reply.viewCount = 0
  reply.uniqueViewers = 0
  reply.asOfMs = asOfMs
  return reply
}

/** The region's last known good counts of `video`, as of `asOfMs`, marked stale. */
export function answerLastKnownGood(reply: SystemReply, replica: RegionReplica, video: number, asOfMs: number): SystemReply {
  reply.likeCount = replica.lkgLikes[video] as number
  reply.viewCount = shown(replica.lkgViews[video] as number)
  reply.uniqueViewers = shown(replica.lkgUniques[video] as number)
  reply.stale = true
  reply.asOfMs = asOfMs
  return reply
}
