// A ring of operation batches in shared memory, between the thread that generates the world's
// traffic and the thread that drives it. The producer fills a batch column-wise, then publishes
// it; the consumer copies operations out and releases the batch. Each side sleeps on Atomics when
// it has to wait (ring full, ring empty) and wakes the other through one signal word, so neither
// spins and no wake-up is lost: a waiter reads the signal before checking, and waits only while it
// is unchanged.
import type { OpKind, OperationRecord } from '../../../sim/operation.ts'

export const BATCH_OPS = 4096
export const RING_BATCHES = 16

/** Control words. */
const WRITTEN = 0
const READ = 1
const STATE = 2
const SIGNAL = 3
const CONTROL_WORDS = 4

export const RING_RUNNING = 0
export const RING_DONE = 1
export const RING_FAILED = 2

/** The shared memory of a ring, as plain data a worker can receive. */
export interface RingBuffers {
  readonly control: SharedArrayBuffer
  readonly counts: SharedArrayBuffer
  readonly atMs: SharedArrayBuffer
  readonly session: SharedArrayBuffer
  readonly keyId: SharedArrayBuffer
  readonly user: SharedArrayBuffer
  readonly video: SharedArrayBuffer
  readonly watchMs: SharedArrayBuffer
  readonly kind: SharedArrayBuffer
  readonly home: SharedArrayBuffer
  readonly device: SharedArrayBuffer
  readonly route: SharedArrayBuffer
}

export function allocateRing(): RingBuffers {
  const ops = BATCH_OPS * RING_BATCHES
  const shared = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(bytes)
  return {
    control: shared(CONTROL_WORDS * 4),
    counts: shared(RING_BATCHES * 4),
    atMs: shared(ops * 8),
    session: shared(ops * 8),
    keyId: shared(ops * 8),
    user: shared(ops * 4),
    video: shared(ops * 4),
    watchMs: shared(ops * 4),
    kind: shared(ops),
    home: shared(ops),
    device: shared(ops),
    route: shared(ops),
  }
}

export class OperationRing {
  readonly control: Int32Array
  readonly counts: Int32Array
  readonly atMs: Float64Array
  private readonly session: Float64Array
  private readonly keyId: Float64Array
  private readonly user: Int32Array
  private readonly video: Int32Array
  private readonly watchMs: Int32Array
  private readonly kind: Uint8Array
  private readonly home: Uint8Array
  private readonly device: Uint8Array
  private readonly route: Int8Array

  constructor(buffers: RingBuffers) {
    this.control = new Int32Array(buffers.control)
    this.counts = new Int32Array(buffers.counts)
    this.atMs = new Float64Array(buffers.atMs)
    this.session = new Float64Array(buffers.session)
    this.keyId = new Float64Array(buffers.keyId)
    this.user = new Int32Array(buffers.user)
    this.video = new Int32Array(buffers.video)
    this.watchMs = new Int32Array(buffers.watchMs)
    this.kind = new Uint8Array(buffers.kind)
    this.home = new Uint8Array(buffers.home)
    this.device = new Uint8Array(buffers.device)
    this.route = new Int8Array(buffers.route)
  }

  /** Index of an operation's fields: batch `batch` (absolute), position `position` in it. */
  static at(batch: number, position: number): number {
    return (batch % RING_BATCHES) * BATCH_OPS + position
  }

  write(at: number, op: OperationRecord): void {
    this.atMs[at] = op.atMs
    this.session[at] = op.session
    this.keyId[at] = op.keyId
    this.user[at] = op.user
    this.video[at] = op.video
    this.watchMs[at] = op.watchMs
    this.kind[at] = op.kind
    this.home[at] = op.home
    this.device[at] = op.device
    this.route[at] = op.route
  }

  read(at: number, id: number, out: OperationRecord): void {
    out.id = id
    out.atMs = this.atMs[at] as number
    out.session = this.session[at] as number
    out.keyId = this.keyId[at] as number
    out.user = this.user[at] as number
    out.video = this.video[at] as number
    out.watchMs = this.watchMs[at] as number
    out.kind = this.kind[at] as OpKind
    out.home = this.home[at] as number
    out.device = this.device[at] as number
    out.route = this.route[at] as number
  }

  // ---- control ---------------------------------------------------------------------------

  get written(): number {
    return Atomics.load(this.control, WRITTEN)
  }

  get released(): number {
    return Atomics.load(this.control, READ)
  }

  get state(): number {
    return Atomics.load(this.control, STATE)
  }

  get signal(): number {
    return Atomics.load(this.control, SIGNAL)
  }

  /** Producer: batch `batch` holds `count` operations and may be read. */
  publish(batch: number, count: number): void {
    this.counts[batch % RING_BATCHES] = count
    Atomics.store(this.control, WRITTEN, batch + 1)
    this.wake()
  }

  /** Consumer: every batch before `batch` has been read; their slots may be refilled. */
  release(batch: number): void {
    Atomics.store(this.control, READ, batch)
    this.wake()
  }

  /** No more batches (RING_DONE), or the producer failed (RING_FAILED). */
  finish(state: number): void {
    Atomics.store(this.control, STATE, state)
    this.wake()
  }

  /** Sleep until the other side signals after `seenSignal` (or `timeoutMs` passes). */
  sleep(seenSignal: number, timeoutMs: number): void {
    Atomics.wait(this.control, SIGNAL, seenSignal, timeoutMs)
  }

  private wake(): void {
    Atomics.add(this.control, SIGNAL, 1)
    Atomics.notify(this.control, SIGNAL)
  }
}
