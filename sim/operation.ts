// One thing a user does, as the world generates it: who, what, when. The driver turns it into
// requests (with retries and failover) and the history records what came back.

export const OpKind = { ReadVideo: 0, View: 1, Like: 2, Unlike: 3, ReadLiked: 4 } as const
export type OpKind = (typeof OpKind)[keyof typeof OpKind]
export const OP_KIND_NAMES = ['read-video', 'view', 'like', 'unlike', 'read-liked'] as const
export type OpKindName = (typeof OP_KIND_NAMES)[number]

export function isWrite(kind: OpKind): boolean {
  return kind === OpKind.View || kind === OpKind.Like || kind === OpKind.Unlike
}

/**
 * The client process that sends a user's requests from a device (a k6 VU, in Jepsen's terms a
 * process): two per user, their phone and a second device.
 */
export function clientProcess(user: number, device: number): number {
  return user * 2 + device
}

/** What a user does, field by field: the fields every form of an operation shares. */
export interface OperationFields {
  atMs: number
  kind: OpKind
  user: number
  video: number
  /** 0 = the user's phone, 1 = a second device. */
  device: number
  watchMs: number
  /** The session (k6 iteration) this operation belongs to. */
  session: number
  /** Region the request is sent to, -1 for the client's normal routing (home, then failover). */
  route: number
}

export interface Operation extends OperationFields {
  /** Position in the run's operation stream (time order): the logical operation id. */
  id: number
  /** A network duplicate of this earlier operation: same request, same idempotency key. */
  original: Operation | null
}

/** The logical operation whose idempotency key a request carries. */
export function keyOperation(op: Operation): Operation {
  return op.original ?? op
}

/**
 * An operation as a hot loop reads it: the fields of an Operation, with the logical operation
 * whose idempotency key it carries named by id (`keyId`) rather than by reference, so that one
 * record can be filled again for every operation of a run instead of allocating millions.
 */
export interface OperationRecord extends PlannedOperation {
  /** Position in the run's operation stream (time order): the logical operation id. */
  id: number
  /** Id of the logical operation whose idempotency key the request carries (its own id unless a network duplicate). */
  keyId: number
}

/** An operation the traffic generator has planned, before it has an id. */
export interface PlannedOperation extends OperationFields {
  /** The user's home region (where their client connects unless routed or failing over). */
  home: number
}

export function newOperationRecord(): OperationRecord {
  return { id: -1, atMs: 0, kind: OpKind.ReadVideo, user: -1, home: 0, video: -1, device: 0, watchMs: 0, session: -1, route: -1, keyId: -1 }
}

export function copyOperationRecord(from: OperationRecord): OperationRecord {
  return { ...from }
}

/**
 * Where a hot loop takes its operations from, in time order: the traffic generator itself, or
 * its output piped from another thread.
 */
export interface OperationSource {
  /** Time of the next operation, Infinity when the stream is done. */
  peekTimeMs(): number
  /** The next operation into `out`; false when the stream is done. */
  nextInto(out: OperationRecord): boolean
  /** Let go of whatever the source holds (a thread); it yields nothing more. Idempotent. */
  close(): void
}
