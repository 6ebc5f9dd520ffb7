// The tour's sim runs, shared between this thread and a second one. The runs are independent of
// each other and the machine has two cores: both threads take the next run from one counter in
// shared memory (Atomics.add), so whichever finishes first takes more and neither waits on a
// fixed half. Each run writes its own files; what it prints comes back as text, and the tour prints
// it in the tour's order, as if the runs had taken turns. Which thread ran a run
// changes nothing in it: sim mode reads no clock and no shared state.
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { scenarioByName } from '../../scenarios/library/index.ts'
import { estimateRunOperations } from '../../scenarios/run/run-setup.ts'
import type { WithSummaryFormat } from '../summary.ts'
import { runAndReport, type ReportedRun, type RunSettings } from './run.ts'

/** One sim run of the tour: a scenario under a strategy. */
export interface TourJob {
  readonly scenarioName: string
  readonly strategy: string
}

export interface TourJobOutput {
  /** The job's place in the tour's list. */
  readonly index: number
  readonly run: ReportedRun
  /** What the run prints (its line, or its summary), exactly as runAndReport writes it. */
  readonly text: string
}

/** The settings as plain data, for the thread (scenarios travel by name, in the jobs), with how each run prints. */
export type TourPoolSettings = Omit<RunSettings, 'scenarios'> & WithSummaryFormat

/** What the thread is given. */
export interface TourWorkerInput {
  readonly settings: TourPoolSettings
  readonly jobs: readonly TourJob[]
  /** Job indices in the order they are handed out (see tourClaimOrder). */
  readonly order: readonly number[]
  /** The queue's counters (a SharedArrayBuffer), shared with the thread that started this one. */
  readonly claims: SharedArrayBuffer
  /**
   * A background thread runs at the lowest priority and takes runs only until the queue is closed
   * to the background (see TourQueue.closeBackground); otherwise the thread runs at normal priority.
   */
  readonly background: boolean
}

/** Where a tour run's files go: `<out>/<scenario>-<strategy>`. */
export function tourRunDir(outDir: string, scenario: { name: string }, strategy: string): string {
  return join(outDir, `${scenario.name}-${strategy}`)
}

/** The tour's sim runs in the order they are printed: every scenario robust, then every one naive. */
export function tourJobs(scenarioNames: readonly string[], strategies: readonly string[]): TourJob[] {
  return strategies.flatMap((strategy) => scenarioNames.map((scenarioName) => ({ scenarioName, strategy })))
}

/**
 * The order jobs are handed out in: the biggest runs first (by the operations their scenario is
 * expected to have), so the last ones to start are short and neither thread waits long for the
 * other at the end. Ties keep the tour's order.
 */
export function tourClaimOrder(jobs: readonly TourJob[], scale: number): number[] {
  const sizes = jobs.map((job) => {
    const scenario = scenarioByName(job.scenarioName)
    if (scenario === undefined) throw new Error(`tour: no scenario ${job.scenarioName}`)
    return estimateRunOperations(scenario, scale)
  })
  return jobs.map((_, index) => index).sort((a, b) => (sizes[b] as number) - (sizes[a] as number) || a - b)
}

/** Where each counter sits in the queue's shared memory. */
const NEXT = 0
const BACKGROUND_CLOSED = 1

/**
 * Hands out positions in the claim order, each once, to every thread that holds the same
 * counters. A background taker (a thread at the lowest priority) can be turned away on its own.
 */
export class TourQueue {
  private readonly counters: Int32Array

  constructor(
    readonly size: number,
    readonly claims: SharedArrayBuffer = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT),
  ) {
    this.counters = new Int32Array(claims)
  }

  /** The next position, or -1 when every job has been handed out (or the queue was closed to this taker). */
  claim(taker: { background: boolean } = { background: false }): number {
    if (taker.background && Atomics.load(this.counters, BACKGROUND_CLOSED) === 1) return -1
    const index = Atomics.add(this.counters, NEXT, 1)
    return index < this.size ? index : -1
  }

  /** Hand out nothing more (a job already taken still finishes). */
  close(): void {
    Atomics.store(this.counters, NEXT, this.size)
  }

  /** Hand out nothing more to background takers; the others go on. */
  closeBackground(): void {
    Atomics.store(this.counters, BACKGROUND_CLOSED, 1)
  }
}

/** One job, its files written, what it prints captured. Progress goes to `err` unless quiet. */
export function runTourJob(settings: TourPoolSettings, jobs: readonly TourJob[], index: number, err: NodeJS.WriteStream): TourJobOutput {
  const job = jobs[index] as TourJob
  const scenario = scenarioByName(job.scenarioName)
  if (scenario === undefined) throw new Error(`tour: no scenario ${job.scenarioName}`)
  const chunks: string[] = []
  const out = { write: (chunk: string): boolean => chunks.push(chunk) > 0 } as unknown as NodeJS.WritableStream
  const [run] = runAndReport({ ...settings, scenarios: [scenario] }, { out, err, dirFor: (s, strategy) => tourRunDir(settings.outDir, s, strategy) }, job.strategy)
  return { index, run: run as ReportedRun, text: chunks.join('') }
}

/** The body of the second thread: take jobs until none are left, handing each output over. */
export function drainTourQueue({ settings, jobs, order, claims, background }: TourWorkerInput, deliver: (output: TourJobOutput) => void): void {
  const queue = new TourQueue(jobs.length, claims)
  for (let position = queue.claim({ background }); position >= 0; position = queue.claim({ background })) deliver(runTourJob({ ...settings, quiet: true }, jobs, order[position] as number, process.stderr))
}

/**
 * The jobs' outputs as they arrive, in any order, printed in the jobs' order: each as soon as
 * every one before it is printed.
 */
export class TourOutputs {
  private readonly outputs: Array<TourJobOutput | undefined>
  private printed = 0

  constructor(
    size: number,
    private readonly out: NodeJS.WritableStream,
  ) {
    this.outputs = Array.from({ length: size }, () => undefined)
  }

  set(output: TourJobOutput): void {
    this.outputs[output.index] = output
  }

  /** Print the outputs that are next in order. */
  printReady(): void {
    for (; this.printed < this.outputs.length; this.printed++) {
      const output = this.outputs[this.printed]
      if (output === undefined) return
      this.out.write(output.text)
    }
  }

  /** Print every output not printed yet, in order, skipping jobs that never ran. */
  printAll(): void {
    for (const output of this.outputs.slice(this.printed)) if (output !== undefined) this.out.write(output.text)
    this.printed = this.outputs.length
  }

  get allPrinted(): boolean {
    return this.printed === this.outputs.length
  }

  /** The runs of the jobs that ran, in the jobs' order. */
  runs(): ReportedRun[] {
    return this.outputs.flatMap((output) => (output === undefined ? [] : [output.run]))
  }
}

/** Whether a second thread would run beside this one rather than take turns with it. */
export function canRunBeside(): boolean {
  return availableParallelism() >= 2
}

/**
 * Start a thread on the queue, in the background (lowest priority, until the queue closes to the
 * background) or not. Each output reaches `onOutput` as it is done; the promise settles when the
 * thread has run out of jobs, or rejects with its error.
 */
export function startTourWorker(
  settings: TourPoolSettings,
  jobs: readonly TourJob[],
  order: readonly number[],
  queue: TourQueue,
  onOutput: (output: TourJobOutput) => void,
  { background }: { background: boolean } = { background: false },
): Promise<void> {
  const input: TourWorkerInput = { settings, jobs, order, claims: queue.claims, background }
  return new Promise((resolve, reject) => {
    // No inherited flags: the entry loads TypeScript itself.
    const worker = new Worker(new URL('./tour-pool-entry.mjs', import.meta.url), { workerData: input, execArgv: [] })
    let settled = false
    worker.on('message', (message: TourJobOutput | 'done') => {
      if (message !== 'done') return onOutput(message)
      settled = true
      resolve()
    })
    worker.once('error', (error) => {
      settled = true
      // The thread failed: the jobs it would have taken stay undone, not silently skipped.
      queue.close()
      reject(error)
    })
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`tour: the second thread exited with code ${code} before it finished`))
    })
  })
}
