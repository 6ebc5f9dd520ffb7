// The embedded mock server's thread (see embedded-server.ts): it builds the core from the world
// it is handed as plain data, serves it on loopback and says where; on 'close' it drains and ends.
// Its clock is built on the driver's shared start, so both threads read the same scenario time.
import type { MessagePort } from 'node:worker_threads'
import type { CoreConfig } from '../../../mock-server/core/config.ts'
import { EngagementCore } from '../../../mock-server/core/engagement-core.ts'
import { strategyByName, type StrategyBehaviour } from '../../../mock-server/core/strategy.ts'
import type { ImportedLike, UserRecord, VideoRecord } from '../../../mock-server/core/types.ts'
import { buildServer, type HttpLimits } from '../../../mock-server/http/app.ts'
import { loadSystemFile } from '../../../mock-server/systems/system-file.ts'
import type { DetectorModule } from '../../../mock-server/core/detection/detector-module.ts'
import { loadDetectorFile } from '../../../mock-server/detector-file.ts'
import { factsOnlyDetector } from '../../../mock-server/core/detection/facts-only-detector.ts'
import { importModuleUrl } from '../../../mock-server/user-module.ts'
import type { WorldInfo } from '../../../mock-server/http/schemas.ts'
import { HarnessMonitor, type HarnessMeasurements } from './harness-monitor.ts'
import { ScenarioClock } from './scenario-clock.ts'

/** The system to run, as data: a name the command line knows, the user's file (--system), or the module it is exported from. */
export interface SystemReference {
  readonly name: string
  /** The absolute path of a user's module: loaded, checked and guarded on the thread as on the command line. */
  readonly file?: string
  readonly source?: { readonly url: string; readonly exportName: string }
}

/** Everything the thread needs, as structured-clonable data. */
export interface EmbeddedServerSpec {
  readonly coreConfig: CoreConfig
  /** Arrays: structured clone drops an iterable's records. */
  readonly directory: { readonly users: readonly UserRecord[]; readonly videos: readonly VideoRecord[] }
  readonly importedLikes: readonly ImportedLike[]
  readonly system: SystemReference
  /** The user's detector module (--detector), by its resolved path: the bot purges use it instead of the built-in one. */
  readonly detector?: string
  /** Run the facts-only baseline beside the purge's detector (a scenario with a bot purge, as mode sim does): its scores come back with each bot purge's report. */
  readonly factsOnlyBaseline: boolean
  readonly worldInfo: WorldInfo
  readonly limits: Partial<HttpLimits>
  readonly adminToken: string
  /** The driver's scenario clock: its time scale and its shared start (ScenarioClock.share). */
  readonly clock: { readonly timeScale: number; readonly share: SharedArrayBuffer }
  /** How long open requests may take to finish when the server closes. */
  readonly drainMsMax: number
}

/** What the thread tells the driver: where it listens, once it does. */
export interface EmbeddedServerReady {
  readonly kind: 'ready'
  readonly urls: Readonly<Record<string, string>>
}

/** What the driver asks of the thread: measure its own load over the traffic, or close. */
export type EmbeddedServerCommand = { readonly kind: 'measure-start'; readonly lateThresholdMs: number } | { readonly kind: 'measure-stop' } | { readonly kind: 'close' }

/** How the thread's own event loop and CPU fared while it served the traffic (the answer to measure-stop). */
export interface EmbeddedServerLoad {
  readonly kind: 'load'
  readonly measurements: HarnessMeasurements
}

/** The thread's body: serve until the driver posts 'close', then drain and end the thread. */
export async function serveEmbedded(spec: EmbeddedServerSpec, port: MessagePort, exitThread: (code: number) => void): Promise<void> {
  const clock = new ScenarioClock(spec.clock.timeScale, spec.clock.share)
  const detector = spec.detector === undefined ? undefined : await loadDetector(spec.detector)
  const core = new EngagementCore(spec.coreConfig, await loadSystem(spec.system), { ...(detector === undefined ? {} : { detector }), baselines: spec.factsOnlyBaseline ? [factsOnlyDetector] : [] })
  core.loadDirectory(spec.directory)
  core.importLikes(spec.importedLikes)
  const server = await buildServer({ core, adminToken: spec.adminToken, clock, logger: false, limits: spec.limits, worldInfo: spec.worldInfo })
  const addresses = await server.listen({ host: '127.0.0.1', port: 0 })
  const urls: Record<string, string> = {}
  for (const address of addresses) urls[address.region] = address.url
  // The server's own load is measured over the traffic as the driver's is: a thread starved of
  // the CPU answers late, and those delays are the machine's, not the modelled system's.
  let monitor: HarnessMonitor | undefined
  port.on('message', (command: EmbeddedServerCommand) => {
    if (command.kind === 'measure-start') {
      monitor = new HarnessMonitor({ lateThresholdMs: command.lateThresholdMs })
      monitor.start()
    } else if (command.kind === 'measure-stop' && monitor !== undefined) {
      const load: EmbeddedServerLoad = { kind: 'load', measurements: monitor.stop() }
      port.postMessage(load)
    } else if (command.kind === 'close') {
      port.removeAllListeners('message')
      void server.close({ drainMsMax: spec.drainMsMax }).then(() => exitThread(0))
    }
  })
  const ready: EmbeddedServerReady = { kind: 'ready', urls }
  port.postMessage(ready)
}

/** The user's detector, loaded again on this thread (the driver's thread checked it before the run). */
async function loadDetector(path: string): Promise<DetectorModule> {
  const loaded = await loadDetectorFile(path, { cwd: '/' })
  if (!loaded.ok) throw new Error(loaded.problem)
  return loaded.module
}

async function loadSystem(reference: SystemReference): Promise<StrategyBehaviour> {
  if (reference.file !== undefined) {
    const loaded = await loadSystemFile(reference.file, { cwd: '/' })
    if (!loaded.ok) throw new Error(loaded.problem)
    return loaded.module
  }
  const named = strategyByName(reference.name)
  if (named !== undefined || reference.source === undefined) {
    if (named === undefined) throw new Error(`unknown system ${reference.name}`)
    return named
  }
  const exported: unknown = (await importModuleUrl(reference.source.url))[reference.source.exportName]
  const candidate = isSystemModule(exported) ? exported : isRecord(exported) ? exported[reference.name] : undefined
  if (!isSystemModule(candidate)) throw new Error(`${reference.source.url} exports no system ${reference.name} under ${reference.source.exportName}`)
  return candidate
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

function isSystemModule(value: unknown): value is StrategyBehaviour {
  return isRecord(value) && typeof value.create === 'function' && typeof value.name === 'string'
}
