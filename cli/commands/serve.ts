// likestorm serve [--port P] [--host H] [--strategy S | --system M] [--seed N] [--scenario NAME|FILE] [--scale F]
//                 [--regions a,b,…] [--admin-token T] [--log-level L] [--in-flight-max N] [--queue-max N]
// The mock engagement server alone: the world of a library scenario or of the user's scenario
// file (built as a sim run builds it), one port per region, until Ctrl-C; the system a built-in
// strategy or the user's own module (--system, guarded as in a run).
import { factsOnlyDetector } from '../../mock-server/core/detection/facts-only-detector.ts'
import { EngagementCore } from '../../mock-server/core/engagement-core.ts'
import { PUBLIC_STRATEGY_NAMES, strategyByName, type StrategyBehaviour } from '../../mock-server/core/strategy.ts'
import { buildServer, DEFAULT_LIMITS, type LogLevel } from '../../mock-server/http/app.ts'
import type { CoreFactory } from '../../mock-server/http/live-world.ts'
import { generateAdminToken, runServer } from '../../mock-server/http/server.ts'
import { UsageError } from '../../scenarios/errors.ts'
import { LIBRARY, scenarioByName } from '../../scenarios/library/index.ts'
import type { Scenario } from '../../scenarios/scenario.ts'
import { isScenarioFileArg } from '../../scenarios/scenario-file.ts'
import { swarmScenarioByName } from '../../scenarios/swarm.ts'
import { coreConfigFor, directoryFor, importedLikesFor, prepareRun, hasBotPurge } from '../../scenarios/run/run-setup.ts'
import { choiceFlag, intFlag, numberFlag, parseFlags, stringFlag, type FlagSpec } from '../args.ts'
import { EXIT } from '../exit-codes.ts'
import { usageErrorLine } from '../error-line.ts'
import { runnableScenario, scenarioArg } from '../scenario-arg.ts'
import { assertOneSystem, systemArg } from '../system-arg.ts'

export const SERVE_FLAGS = {
  port: { type: 'string', value: 'P', help: 'first region\'s port; the others take P+1, P+2, … (default 8080; 0: a free port each)' },
  host: { type: 'string', value: 'H', help: 'address to bind (default 127.0.0.1); a non-loopback host needs --allow-remote' },
  'allow-remote': { type: 'boolean', help: 'allow a non-loopback --host (prints a warning)' },
  scenario: { type: 'string', value: 'NAME|FILE', help: 'whose world and capacities to serve: a library name or a scenario file (default baseline)' },
  seed: { type: 'string', value: 'N', help: 'world seed (default 7)' },
  scale: { type: 'string', value: 'F', help: 'population and capacity multiplier, 0 < F <= 1000 (default 1)' },
  strategy: { type: 'string', value: 'S', help: 'counting strategy: robust | naive (default robust)' },
  system: { type: 'string', value: 'MODULE', help: 'serve your own system: a .ts or .js module implementing the system interface (docs/systems.md); not with --strategy' },
  regions: { type: 'string', value: 'a,b,…', help: 'serve only these regions of the scenario\'s world' },
  'admin-token': { type: 'string', value: 'T', help: 'bearer token for /admin/v1, 16-256 visible characters (default: generated and printed)' },
  'log-level': { type: 'string', value: 'L', help: 'fatal | error | warn | info | debug | trace | silent (default warn)' },
  'in-flight-max': { type: 'string', value: 'N', help: 'requests served at once per region (default 1024)' },
  'queue-max': { type: 'string', value: 'N', help: 'requests waiting for a slot per region before a 503 (default 1024)' },
} as const satisfies FlagSpec

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']
const DEFAULT_PORT = 8080
const TOKEN_PATTERN = /^[\x21-\x7e]{16,256}$/

export interface ServeSettings {
  readonly port: number
  readonly host: string
  readonly strategy: string
  /** --system: the user's module, as given; served instead of `strategy`. */
  readonly system?: string
  readonly seed: number
  readonly scenario: string
  readonly scale: number
  /** Empty: every region of the scenario's world. */
  readonly regions: readonly string[]
  readonly adminToken: string | undefined
  readonly logLevel: LogLevel
  readonly inFlightMax: number
  readonly queueMax: number
  /** Set when --host is not a loopback address (allowed only with --allow-remote). */
  readonly remoteWarning: string | undefined
}

export function parseServeSettings(argv: readonly string[]): ServeSettings {
  const { values, positionals } = parseFlags(argv, SERVE_FLAGS, 'serve')
  if (positionals.length > 0) throw new UsageError('LS_BAD_USAGE', `likestorm serve takes no arguments, got ${JSON.stringify(positionals[0])}`)
  assertOneSystem(values)
  const scenario = stringFlag(values.scenario, 'baseline')
  // A file is loaded when the server starts; a name is checked now.
  if (!isScenarioFileArg(scenario)) runnableScenario(scenario)
  const host = stringFlag(values.host, '127.0.0.1')
  const loopback = isLoopback(host)
  if (!loopback && values['allow-remote'] !== true) {
    throw new UsageError('LS_BAD_FLAG', `--host ${host} is not a loopback address: the mock server has no protection for a network; add --allow-remote to bind it anyway`)
  }
  const adminToken = values['admin-token']
  if (typeof adminToken === 'string' && !TOKEN_PATTERN.test(adminToken)) {
    throw new UsageError('LS_BAD_FLAG', '--admin-token must be 16 to 256 visible ASCII characters (no spaces)')
  }
  const regions = typeof values.regions === 'string' ? values.regions.split(',').map((region) => region.trim()) : []
  if (regions.some((region) => region === '')) throw new UsageError('LS_BAD_FLAG', `--regions must be a comma-separated list of region ids, got ${JSON.stringify(values.regions)}`)
  return {
    port: intFlag(values.port, '--port', { min: 0, max: 65_535, fallback: DEFAULT_PORT }),
    host,
    strategy: choiceFlag(values.strategy, '--strategy', PUBLIC_STRATEGY_NAMES, 'robust'),
    ...(typeof values.system === 'string' ? { system: values.system } : {}),
    seed: intFlag(values.seed, '--seed', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 7 }),
    scenario,
    scale: numberFlag(values.scale, '--scale', { min: 0, max: 1000, fallback: 1 }),
    regions: [...new Set(regions)],
    adminToken: typeof adminToken === 'string' ? adminToken : undefined,
    logLevel: choiceFlag(values['log-level'], '--log-level', LOG_LEVELS, 'warn'),
    inFlightMax: intFlag(values['in-flight-max'], '--in-flight-max', { min: 1, max: 1_000_000, fallback: DEFAULT_LIMITS.inFlightMax }),
    queueMax: intFlag(values['queue-max'], '--queue-max', { min: 0, max: 1_000_000, fallback: DEFAULT_LIMITS.queueMax }),
    remoteWarning: loopback ? undefined : `likestorm serve: warning: listening on ${host}, reachable from the network; the admin token is the only protection\n`,
  }
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

/**
 * Worlds for the server, built exactly as a sim run builds them (the same seed gives the same
 * users, videos and imported likes), restricted to `regions` when given. The core sees the
 * directory only, never the world's ground truth.
 */
export const worldFactory: CoreFactory = worldFactoryWith([])

/** The world factory, knowing besides the library the scenarios of the user's files, and besides robust and naive the user's system (by name). */
export function worldFactoryWith(extra: readonly Scenario[], systems: readonly StrategyBehaviour[] = []): CoreFactory {
  return (request) => buildWorld(request, extra, systems)
}

function buildWorld({ seed, scenario, scale, strategy, regions }: Parameters<CoreFactory>[0], extra: readonly Scenario[], systems: readonly StrategyBehaviour[]): ReturnType<CoreFactory> {
  const found = extra.find((s) => s.name === scenario) ?? scenarioByName(scenario) ?? swarmScenarioByName(scenario)
  if (found === undefined) return { ok: false, message: `unknown scenario ${JSON.stringify(scenario)}; known: ${[...extra.map((s) => s.name), ...LIBRARY.map((s) => s.name)].join(', ')} (or swarm-<seed>)` }
  const names = [...PUBLIC_STRATEGY_NAMES, ...systems.map((system) => system.name)]
  const behaviour = systems.find((system) => system.name === strategy) ?? (PUBLIC_STRATEGY_NAMES.includes(strategy) ? strategyByName(strategy) : undefined)
  if (behaviour === undefined) return { ok: false, message: `unknown strategy ${JSON.stringify(strategy)}; allowed: ${names.join(', ')}` }
  if (!(scale > 0 && scale <= 1000)) return { ok: false, message: `scale must be in (0, 1000], got ${scale}` }
  const setup = prepareRun({ scenario: found, seed, scale })
  const config = coreConfigFor(setup)
  const known = config.regions.map((region) => region.id)
  const unknown = regions.filter((region) => !known.includes(region))
  if (unknown.length > 0) return { ok: false, message: `unknown region ${unknown.join(', ')} in the ${scenario} world; its regions: ${known.join(', ')}` }
  const chosen = regions.length === 0 ? config.regions : config.regions.filter((region) => regions.includes(region.id))
  const core = new EngagementCore({ ...config, regions: chosen }, behaviour, { baselines: hasBotPurge(found) ? [factsOnlyDetector] : [] })
  core.loadDirectory(directoryFor(setup.population))
  core.importLikes(importedLikesFor(setup.population))
  return { ok: true, core, info: { scenario, seed, scale, strategy, users: core.directory.userCount, videos: core.directory.videoCount } }
}

export async function serveCommand(
  argv: readonly string[],
  io: { out: NodeJS.WritableStream; err: NodeJS.WriteStream },
  { stop }: { stop?: AbortSignal } = {},
): Promise<number> {
  try {
    return await serve(parseServeSettings(argv), io, stop)
  } catch (error) {
    if (error instanceof UsageError) {
      io.err.write(usageErrorLine(error))
      return EXIT.USAGE
    }
    throw error
  }
}

async function serve(settings: ServeSettings, io: { out: NodeJS.WritableStream; err: NodeJS.WriteStream }, stop: AbortSignal | undefined): Promise<number> {
  const own = isScenarioFileArg(settings.scenario) ? await scenarioArg(settings.scenario, { cwd: process.cwd(), mode: 'http', command: 'serve' }) : undefined
  const system = settings.system === undefined ? undefined : await systemArg(settings.system, process.cwd())
  // The admin API's reset builds a world again: with this system too, by its name.
  const factory = worldFactoryWith(own === undefined ? [] : [own.scenario], system === undefined ? [] : [system])
  const scenario = own?.scenario.name ?? settings.scenario
  const built = factory({ seed: settings.seed, scenario, scale: settings.scale, strategy: system?.name ?? settings.strategy, regions: settings.regions })
  if (!built.ok) throw new UsageError('LS_BAD_FLAG', built.message)
  const regionCount = built.core.regionIds.length
  if (settings.port !== 0 && settings.port + regionCount - 1 > 65_535) {
    throw new UsageError('LS_BAD_FLAG', `--port ${settings.port} leaves no room for ${regionCount} regions (ports ${settings.port}..${settings.port + regionCount - 1}); use at most ${65_536 - regionCount}, or 0`)
  }
  if (settings.remoteWarning !== undefined) io.err.write(settings.remoteWarning)
  const adminToken = settings.adminToken ?? generateAdminToken()
  const server = await buildServer({
    core: built.core,
    worldInfo: built.info,
    coreFactory: factory,
    adminToken,
    limits: { inFlightMax: settings.inFlightMax, queueMax: settings.queueMax },
    logger: { level: settings.logLevel, stream: io.err },
    processMetrics: true,
  })
  const outcome = await runServer({ server, host: settings.host, port: settings.port, out: io.out, err: io.err, tokenGenerated: settings.adminToken === undefined, ...(stop === undefined ? {} : { stop }) })
  if (!outcome.ok) throw new UsageError('LS_BAD_FLAG', outcome.message)
  return outcome.exitCode
}
