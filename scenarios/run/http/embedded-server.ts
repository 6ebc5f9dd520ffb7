// Mode http without --target: the mock server, started on its own thread (so the load generator
// and the server each have a core) on loopback ephemeral ports (one per region) with the run's
// world and strategy, and stopped at the end. The driver talks to it over HTTP only, as to any
// target; the two share the scenario clock's start in memory (scenario-clock.ts), so the server's
// times need no calibration. The world is built here and handed over as plain data: the thread
// starts, builds the core and listens before the driver's clock starts, so none of it counts
// against the run. A thread that fails (at its start or later) is an EmbeddedServerError with
// the cause: the run stops at once and reports it, never waits on a server that is gone.
import { randomBytes } from 'node:crypto'
import { Worker } from 'node:worker_threads'
import { DEFAULT_CORE_CONFIG } from '../../../mock-server/core/config.ts'
import { strategyByName, type StrategyBehaviour } from '../../../mock-server/core/strategy.ts'
import { systemFileOf } from '../../../mock-server/systems/system-file.ts'
import type { DetectorModule } from '../../../mock-server/core/detection/detector-module.ts'
import { detectorPathOf } from '../../../mock-server/detector-file.ts'
import { coreConfigFor, directoryArraysFor, importedLikesFor, hasBotPurge, type RunSetup } from '../run-setup.ts'
import type { EmbeddedServerCommand, EmbeddedServerLoad, EmbeddedServerReady, EmbeddedServerSpec, SystemReference } from './embedded-server-thread.ts'
import type { HarnessMeasurements } from './harness-monitor.ts'
import { idempotencyTtlMs } from './retry-horizon.ts'
import type { ScenarioClock } from './scenario-clock.ts'

/** How long open requests may take to finish when the server closes. */
const DRAIN_MS_MAX = 2000
/** Past the drain, how long the thread may take to end before it is stopped. */
const EXIT_GRACE_MS = 3000
/** How long the thread may take to hand over its measurements (it answers between requests). */
const MEASURE_ANSWER_MS_MAX = 1000

export const EMBEDDED_SERVER_FAILED = 'LS_EMBEDDED_SERVER_FAILED'

/** The embedded server's thread failed to start or stopped while serving. */
export class EmbeddedServerError extends Error {
  readonly code = EMBEDDED_SERVER_FAILED
}

export interface EmbeddedServer {
  readonly urls: Readonly<Record<string, string>>
  readonly adminToken: string
  /** Why the server's thread stopped while serving; undefined while it serves (or once closed). */
  readonly failure: EmbeddedServerError | undefined
  /** Call `listener` once when the thread stops while serving (at once if it already has). */
  onFailure(listener: (error: EmbeddedServerError) => void): void
  /** Start measuring the thread's own event loop and CPU (at the traffic's start); a stall past `lateThresholdMs` counts. */
  startMeasuring(lateThresholdMs: number): void
  /** Stop measuring and get the figures (undefined if the thread does not answer within a second). */
  stopMeasuring(): Promise<HarnessMeasurements | undefined>
  /** Drain and stop the thread (stopped outright if it does not end in time). */
  close(): Promise<void>
}

export interface EmbeddedServerOptions {
  readonly setup: RunSetup
  readonly strategy: StrategyBehaviour
  readonly clock: ScenarioClock
  readonly inFlightMax: number
  /** The bot purges' detector when not the built-in one: a user's module (loadDetectorFile), loaded again on the thread from its file. */
  readonly detector?: DetectorModule | undefined
  /** The thread's entry (tests: one that fails on purpose); the real one by default. */
  readonly entry?: URL
}

/** How the thread finds the system: by name (robust, naive), the user's file (--system), or the module it came from. */
function systemReference(strategy: StrategyBehaviour): SystemReference {
  if (strategyByName(strategy.name) === strategy) return { name: strategy.name }
  const file = systemFileOf(strategy)
  if (file !== undefined) return { name: strategy.name, file: file.absolutePath }
  if (strategy.source === undefined) throw new Error(`system ${strategy.name} cannot run on the embedded server's thread: it does not say where its module is (SystemModule.source)`)
  return { name: strategy.name, source: strategy.source }
}

export function startEmbeddedServer({ setup, strategy, clock, inFlightMax, entry, detector }: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const detectorPath = detector === undefined ? undefined : detectorPathOf(detector)
  if (detector !== undefined && detectorPath === undefined) throw new Error(`detector ${detector.name} cannot run on the embedded server's thread: it was not loaded from a file (loadDetectorFile)`)
  // Keys outlive every retry the client can still send, however compressed the clock.
  const ttlMs = idempotencyTtlMs({ client: setup.client, regions: setup.population.regionIds.length, timeScale: clock.timeScale, defaultTtlMs: DEFAULT_CORE_CONFIG.idempotencyTtlMs })
  const adminToken = randomBytes(24).toString('base64url')
  const spec: EmbeddedServerSpec = {
    coreConfig: coreConfigFor(setup, { idempotencyTtlMs: ttlMs }),
    directory: directoryArraysFor(setup.population),
    importedLikes: importedLikesFor(setup.population),
    system: systemReference(strategy),
    ...(detectorPath === undefined ? {} : { detector: detectorPath }),
    factsOnlyBaseline: hasBotPurge(setup.scenario),
    worldInfo: {
      scenario: setup.scenario.name,
      seed: setup.seed,
      scale: setup.scale,
      strategy: strategy.name,
      users: setup.population.userCount,
      videos: setup.population.videoCount,
    },
    // The server's clock runs at scenario speed: its modelled waits shrink or stretch with it.
    limits: { inFlightMax, queueMax: inFlightMax * 4, waitScale: clock.timeScale },
    adminToken,
    clock: { timeScale: clock.timeScale, share: clock.share },
    drainMsMax: DRAIN_MS_MAX,
  }
  // No inherited flags: the entry loads TypeScript itself.
  const worker = new Worker(entry ?? new URL('./embedded-server-entry.mjs', import.meta.url), { workerData: spec, execArgv: [] })
  return new Promise((resolve, reject) => {
    worker.once('message', (message: EmbeddedServerReady) => resolve(new ServerThread(worker, message.urls, adminToken)))
    worker.once('error', (error) => reject(new EmbeddedServerError(`the embedded mock server did not start: ${describe(error)}`)))
    worker.once('exit', (code) => reject(new EmbeddedServerError(`the embedded mock server's thread ended with code ${code} before it listened`)))
  })
}

class ServerThread implements EmbeddedServer {
  failure: EmbeddedServerError | undefined
  private readonly listeners: Array<(error: EmbeddedServerError) => void> = []
  private closing = false
  private readonly exited: Promise<void>

  constructor(
    private readonly worker: Worker,
    readonly urls: Readonly<Record<string, string>>,
    readonly adminToken: string,
  ) {
    let error: unknown
    worker.on('error', (cause) => {
      error ??= cause
    })
    this.exited = new Promise((resolve) => {
      worker.once('exit', (code) => {
        // An 'error' comes before its thread's 'exit'; a clean close ends with code 0.
        if (error !== undefined) this.fail(`the embedded mock server's thread failed: ${describe(error)}`)
        else if (!this.closing) this.fail(`the embedded mock server's thread ended with code ${code} while the run still needed it`)
        resolve()
      })
    })
  }

  onFailure(listener: (error: EmbeddedServerError) => void): void {
    if (this.failure !== undefined) listener(this.failure)
    else this.listeners.push(listener)
  }

  startMeasuring(lateThresholdMs: number): void {
    this.command({ kind: 'measure-start', lateThresholdMs })
  }

  stopMeasuring(): Promise<HarnessMeasurements | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.worker.off('message', onLoad)
        resolve(undefined)
      }, MEASURE_ANSWER_MS_MAX)
      const onLoad = (message: EmbeddedServerLoad): void => {
        if (message.kind !== 'load') return
        clearTimeout(timer)
        this.worker.off('message', onLoad)
        resolve(message.measurements)
      }
      this.worker.on('message', onLoad)
      this.command({ kind: 'measure-stop' })
    })
  }

  async close(): Promise<void> {
    if (!this.closing) {
      this.closing = true
      this.command({ kind: 'close' })
    }
    const timer = setTimeout(() => void this.worker.terminate(), DRAIN_MS_MAX + EXIT_GRACE_MS)
    await this.exited
    clearTimeout(timer)
  }

  private command(command: EmbeddedServerCommand): void {
    if (this.failure === undefined) this.worker.postMessage(command)
  }

  private fail(message: string): void {
    if (this.failure !== undefined) return
    this.failure = new EmbeddedServerError(message)
    for (const listener of this.listeners.splice(0)) listener(this.failure)
  }
}

/** An error from the thread, with its code when it has one. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' ? `${error.message} [${code}]` : error.message
}
