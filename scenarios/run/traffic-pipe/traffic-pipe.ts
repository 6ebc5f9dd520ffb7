// The world's traffic generated on a second thread and handed over through shared memory, for
// runs big enough that generating the world costs as much as driving it: the driving thread then
// only copies each operation out of a ring of batches (operation-ring.ts), and the generator's
// tables (hundreds of thousands of users' activity) live in the other core's cache, not in its own.
//
// The thread runs the very same TrafficGenerator over the same inputs — the population's tables,
// the rate profile, the exact position of every random stream — so the stream is byte for byte
// the one the generator gives in-process. The traffic's streams are then drawn on that thread:
// the caller's Rng does not see those draws, so nothing else may use them.
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads'
import type { OperationRecord, OperationSource } from '../../../sim/operation.ts'
import { allocateRing, OperationRing, RING_DONE, RING_FAILED } from './operation-ring.ts'
import type { TrafficOptions } from '../../../sim/traffic.ts'
import type { TrafficWorkerInput } from './traffic-worker.ts'

/** How long the driving thread sleeps at most before looking at the ring again. */
const WAIT_SLICE_MS = 1000
/** A thread that publishes nothing for this long is taken for dead (a bound on every wait). */
const STALL_LIMIT_MS = 120_000

export class PipedTraffic implements OperationSource {
  private readonly ring: OperationRing
  private readonly worker: Worker
  private readonly errors: MessageChannel
  /** Settles with the thread's exit code once it has stopped (after the stream ends, fails or is closed). */
  readonly exited: Promise<number>
  /** The batch being read (absolute), the position in it and its size (-1: not yet available). */
  private batch = 0
  private position = 0
  private count = -1
  private nextId = 0
  private ended = false

  constructor(options: TrafficOptions) {
    const { spec, population, faults, rate, durationS, rng } = options
    const buffers = allocateRing()
    this.ring = new OperationRing(buffers)
    this.errors = new MessageChannel()
    const input: TrafficWorkerInput = {
      spec,
      population: {
        farms: population.farms,
        fanGroups: population.fanGroups,
        regionUserPickers: population.regionUserPickers.map((table) => table?.columns ?? null),
        popularity: population.popularity.columns,
        rankToVideo: population.rankToVideo,
        userRegion: population.userRegion,
      },
      faults,
      rateKnots: rate.knots,
      durationS,
      rng: rng.snapshot(),
      ring: buffers,
    }
    // No inherited flags: the entry loads TypeScript itself, and a parent's loader would only slow the start.
    this.worker = new Worker(new URL('./traffic-worker-entry.mjs', import.meta.url), {
      workerData: { input, errors: this.errors.port2 },
      transferList: [this.errors.port2],
      execArgv: [],
    })
    this.exited = new Promise((resolve) => this.worker.once('exit', resolve))
    // The run never waits for the thread to exit; the process must not either.
    this.worker.unref()
  }

  peekTimeMs(): number {
    if (this.position >= this.count && !this.nextBatch()) return Infinity
    return this.ring.atMs[OperationRing.at(this.batch, this.position)] as number
  }

  nextInto(out: OperationRecord): boolean {
    if (this.position >= this.count && !this.nextBatch()) return false
    this.ring.read(OperationRing.at(this.batch, this.position++), this.nextId++, out)
    return true
  }

  close(): void {
    if (this.ended) return
    this.ended = true
    // Whatever is left of the batch being read is dropped with the rest.
    this.position = 0
    this.count = 0
    void this.worker.terminate()
    this.errors.port1.close()
  }

  /** Release the batch just read and wait for the next; false at the end of the stream. */
  private nextBatch(): boolean {
    if (this.ended) return false
    if (this.count >= 0) {
      this.batch++
      this.ring.release(this.batch)
      this.count = -1
      this.position = 0
    }
    let waitedMs = 0
    for (;;) {
      const seen = this.ring.signal
      if (this.ring.written > this.batch) {
        this.count = this.ring.counts[this.batch % this.ring.counts.length] as number
        return true
      }
      const state = this.ring.state
      if (state === RING_DONE) {
        this.close()
        return false
      }
      if (state === RING_FAILED) throw this.failure()
      if (waitedMs >= STALL_LIMIT_MS) {
        this.close()
        throw new Error(`traffic thread: no operations for ${STALL_LIMIT_MS / 1000} s`)
      }
      this.ring.sleep(seen, WAIT_SLICE_MS)
      waitedMs += WAIT_SLICE_MS
    }
  }

  private failure(): Error {
    const message = receiveMessageOnPort(this.errors.port1)?.message as string | undefined
    this.close()
    return new Error(`traffic thread failed: ${message ?? 'no message'}`)
  }
}
