// The format of workload.json, the seeded operation stream an export hands to k6 (built by
// workload.ts). Types and constants only: the k6 script reads the file through them.

export const WORKLOAD_FORMAT = 'likestorm-k6-workload/2'

/** Numbers per operation in a session row. */
export const OP_FIELDS = 7
/** Offsets of an operation's fields inside its group of OP_FIELDS. */
export const OpField = { OffsetMs: 0, Kind: 1, Device: 2, WatchMs: 3, Route: 4, KeyId: 5, Req: 6 } as const
/** Fields of a session row before its operations. */
export const SESSION_HEAD = 5

/**
 * One session: [sid, startMs, userId, videoId, homeRegion, ...ops], each op OP_FIELDS numbers:
 * offsetMs (from startMs), kind (OpKind), device, watchMs, route (region index, -1: the client's
 * own routing), keyId (the logical operation: its idempotency key) and req (this request's own id
 * in the stream; a network duplicate has its own req and its original's keyId). Times are whole ms.
 */
export type SessionRow = [number, number, string, string, number, ...number[]]

export const FinalTaskKind = { Videos: 0, Likes: 1, Inbox: 2 } as const
export type FinalTaskKind = (typeof FinalTaskKind)[keyof typeof FinalTaskKind]
/** [kind, region index, from, to): a slice of final.videos, final.likers or final.creators. */
export type FinalTask = [FinalTaskKind, number, number, number]

export interface WorkloadFile {
  readonly format: typeof WORKLOAD_FORMAT
  readonly scenario: string
  readonly seed: number
  readonly scale: number
  readonly regions: readonly string[]
  /**
   * Sessions per k6 scenario, by start time: iteration i (exec.scenario.iterationInTest) runs
   * element i; null is a hole, an iteration that would wait too long for its session (session-deal.ts).
   */
  readonly sessions: Readonly<Record<string, ReadonlyArray<SessionRow | null>>>
  readonly final: {
    readonly videos: readonly string[]
    /** Users whose liked lists are read in every region: everyone who may like in the run, and importers. */
    readonly likers: readonly string[]
    /** Creators whose notifications are read: creators of videos the run may like. */
    readonly creators: readonly string[]
    readonly tasks: readonly FinalTask[]
  }
}
