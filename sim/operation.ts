// One thing a user does, as the world generates it: who, what, when. The driver turns it into
// requests (with retries and failover) and the history records what came back.

export const OpKind = { ReadVideo: 0, View: 1, Like: 2, Unlike: 3, ReadLiked: 4 } as const
export type OpKind = (typeof OpKind)[keyof typeof OpKind]
export const OP_KIND_NAMES = ['read-video', 'view', 'like', 'unlike', 'read-liked'] as const
export type OpKindName = (typeof OP_KIND_NAMES)[number]

export function isWrite(kind: OpKind): boolean {
  return kind === OpKind.View || kind === OpKind.Like || kind === OpKind.Unlike
}

export interface Operation {
  /** Position in the run's operation stream (time order): the logical operation id. */
  id: number
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
  /** A network duplicate of this earlier operation: same request, same idempotency key. */
  original: Operation | null
}

/** The logical operation whose idempotency key a request carries. */
export function keyOperation(op: Operation): Operation {
  return op.original ?? op
}
