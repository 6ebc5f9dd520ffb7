// An attempt as it is sent, the record History.invoke takes: its kind, operation, user, video,
// client process, region, attempt number, invoke time and whether it failed over.
import { OpKind } from './operation.ts'

/**
 * An attempt as it is sent: what `History.invoke` records. A hot loop fills one record again for
 * every attempt (newInvocation) rather than allocating one each.
 */
export interface Invocation {
  kind: OpKind
  /** The logical operation (its idempotency key) the attempt belongs to. */
  opId: number
  user: number
  video: number
  /** The client process that sent it (clientProcess in operation.ts). */
  process: number
  region: number
  /** 1 for the operation's first attempt; its failovers keep the number. */
  attempt: number
  invokeMs: number
  /** Sent to a region other than the one the client routes to. */
  failover: boolean
}

export function newInvocation(): Invocation {
  return { kind: OpKind.ReadVideo, opId: -1, user: -1, video: -1, process: -1, region: 0, attempt: 1, invokeMs: 0, failover: false }
}
