// The traffic's operations planned but not yet handed out, and the handing out: a calendar queue
// of follow-ups (their fields in columns, by slot), the one operation a source has just produced
// waiting beside it, and the ids given as they leave, a network duplicate taking its original's
// key. The traffic generator (sim/traffic.ts) decides what goes in and when it may come out.
import { CalendarQueue } from './calendar-queue.ts'
import { OperationColumns } from './operation-columns.ts'
import { newOperationRecord, type OpKind, type Operation, type OperationRecord, type PlannedOperation } from './operation.ts'

/** push(): the operation falls after the run and was dropped. */
export const NO_SLOT = -1

/** take(): the staged operation is next. */
const STAGED = -2

/**
 * Read it with `next()` (a fresh Operation each time, `original` linking a network duplicate to
 * its first copy) or, in a hot loop, with `nextInto(record)` (one reused record, the duplicate's
 * key as `keyId`); use one of the two per queue.
 */
export class OperationQueue {
  /** Follow-ups planned but not yet due: slots of the queue, their fields in `pending`. */
  private readonly queue = new CalendarQueue()
  private readonly pending: OperationColumns
  /**
   * The operation a source has just produced (a session's first read, a farm request). A source
   * is only started when it is due before the queue's head, so that operation is always the next
   * one: it skips the queue and waits here in row 0.
   */
  private readonly staged = new OperationColumns(1)
  private stagedReady = false
  /** For `next()`: the Operation each pending network duplicate was copied from, by the duplicate's slot. */
  private readonly originals = new Map<number, Operation>()
  private readonly scratch: OperationRecord = newOperationRecord()
  /** The operation push and stage are writing (one record, filled again for each). */
  private readonly planned: PlannedOperation = newOperationRecord()
  private readonly durationMs: number
  private nextId = 0

  /** Operations at or after `durationMs` are dropped. */
  constructor(durationMs: number) {
    this.durationMs = durationMs
    this.pending = new OperationColumns(this.queue.capacity)
  }

  /** Time of the earliest queued follow-up (Infinity when none). */
  get headMs(): number {
    return this.queue.peekTimeMs()
  }

  /** An operation is staged: it is the next one out. */
  get hasStaged(): boolean {
    return this.stagedReady
  }

  /** Time of the next operation out, Infinity when there is none. */
  peekTimeMs(): number {
    return this.stagedReady ? this.staged.atMsOf(0) : this.queue.peekTimeMs()
  }

  next(): Operation | undefined {
    const slot = this.take()
    if (slot === NO_SLOT) return undefined
    const record = this.scratch
    const id = this.nextId++
    if (slot === STAGED) {
      this.staged.read(0, id, record)
      return toOperation(record, null)
    }
    this.pending.read(slot, id, record)
    const original = this.originals.get(slot) ?? null
    if (original !== null) this.originals.delete(slot)
    const op = toOperation(record, original)
    const duplicate = this.pending.duplicateOf(slot)
    if (duplicate >= 0) {
      this.pending.giveKey(duplicate, id)
      this.originals.set(duplicate, op)
    }
    this.queue.free(slot)
    return op
  }

  /** The next operation into `out` (no allocation); false when there is none. */
  nextInto(out: OperationRecord): boolean {
    const slot = this.take()
    if (slot === NO_SLOT) return false
    const id = this.nextId++
    if (slot === STAGED) {
      this.staged.read(0, id, out)
      return true
    }
    this.pending.read(slot, id, out)
    // A network duplicate carries its original's key: the original is always emitted first.
    const duplicate = this.pending.duplicateOf(slot)
    if (duplicate >= 0) this.pending.giveKey(duplicate, id)
    this.queue.free(slot)
    return true
  }

  /** Operations handed out so far (each takes the next id). */
  get emitted(): number {
    return this.nextId
  }

  /** Queue a follow-up; returns its slot, or NO_SLOT when it falls after the run. */
  push(atMs: number, kind: OpKind, user: number, home: number, video: number, device: number, watchMs: number, session: number, route: number): number {
    if (atMs >= this.durationMs) return NO_SLOT
    const slot = this.queue.push(atMs)
    if (slot >= this.pending.rows) this.pending.ensure(this.queue.capacity)
    this.pending.write(slot, this.plan(atMs, kind, user, home, video, device, watchMs, session, route))
    return slot
  }

  /** The follow-up in slot `duplicate` is the network's second copy of the one in `slot` (it gets its key). */
  markDuplicate(slot: number, duplicate: number): void {
    this.pending.markDuplicate(slot, duplicate)
  }

  /** A source's own operation (a session's first read, a farm request): the next one out. */
  stage(atMs: number, kind: OpKind, user: number, home: number, video: number, watchMs: number, session: number): void {
    if (atMs >= this.durationMs) return
    this.staged.write(0, this.plan(atMs, kind, user, home, video, 0, watchMs, session, -1))
    this.stagedReady = true
  }

  /** The next operation's place: STAGED, a queue slot (the caller frees it), or NO_SLOT when there is none. */
  private take(): number {
    if (this.stagedReady) {
      this.stagedReady = false
      return STAGED
    }
    return this.queue.pop()
  }

  private plan(atMs: number, kind: OpKind, user: number, home: number, video: number, device: number, watchMs: number, session: number, route: number): PlannedOperation {
    const planned = this.planned
    planned.atMs = atMs
    planned.kind = kind
    planned.user = user
    planned.home = home
    planned.video = video
    planned.device = device
    planned.watchMs = watchMs
    planned.session = session
    planned.route = route
    return planned
  }
}

function toOperation(record: OperationRecord, original: Operation | null): Operation {
  const { id, atMs, kind, user, video, device, watchMs, session, route } = record
  return { id, atMs, kind, user, video, device, watchMs, session, route, original }
}
