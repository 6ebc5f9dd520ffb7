// double-tap-counter: set-counter with one bug that real counters have had — every like adds one
// to the video's count, even a second tap on a video the user already likes. The like set is still
// right (the second tap changes no pair), but the count is no longer derived from it: a double tap,
// or a like from a second device, counts twice. LikeStorm's no-double-count check catches it:
//   likestorm run like-flap --system examples/systems/double-tap-counter.ts    (exit 1)
// Retries are still answered from their idempotency key and copies of a write that replication
// delivers twice still lose to the stamp they carry: only a new tap counts again.
import type { SystemModule } from 'likestorm'
import { SetCounter } from './set-counter.ts'
import type { ReplicationMessage } from './set-replication.ts'

class DoubleTapCounter extends SetCounter {
  /** The bug: a like always counts; an unlike takes one off only when the pair was liked. */
  protected override likeCountDelta(wasLiked: boolean, liked: boolean): number {
    return liked ? 1 : wasLiked ? -1 : 0
  }
}

const system: SystemModule<ReplicationMessage> = {
  interfaceVersion: 1,
  name: 'double-tap-counter',
  description: 'set-counter whose like count goes up on every like, even a second tap on an already liked video (the double-count bug)',
  writesWaitOnCache: false,
  create: (env, settings) => new DoubleTapCounter(env, settings),
}

export default system
