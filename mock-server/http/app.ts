// The mock engagement server: one fastify app per region over one shared engagement core.
// `buildServer` builds them (tests inject() into `server.app(region)` without a port);
// `server.listen()` opens one port per region; server.ts is the process entry that listens,
// prints the table and drains on SIGINT/SIGTERM.
import type { IncomingMessage, ServerResponse } from 'node:http'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions, type onResponseHookHandler, type RawServerDefault } from 'fastify'
import swagger from '@fastify/swagger'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Ajv } from 'ajv'
import type { EngagementCore } from '../core/engagement-core.ts'
import { adminAuth, adminRoutes } from './admin.ts'
import { admissionHook } from './admission-hook.ts'
import { mockServerCapabilities } from './capabilities.ts'
import { MonotonicClock, type Clock } from './clock.ts'
import type { RegionContext } from './core-call.ts'
import { EngagementServer } from './engagement-server.ts'
import { clientErrorHandler, handleError, handleFrameworkError, handleNotFound } from './error-handler.ts'
import { DEFAULT_LIMITS, limitProblems, nodeServerOptions, responseMsMax, type HttpLimits } from './http-limits.ts'
import { LiveWorld, type CoreFactory } from './live-world.ts'
import { ServerMetrics } from './metrics.ts'
import { protocolCheck, routeProtocolEvents } from './protocol-checks.ts'
import { likeRoutes } from './routes/likes.ts'
import { opsRoutes } from './routes/ops.ts'
import { userRoutes } from './routes/users.ts'
import { videoRoutes } from './routes/videos.ts'
import { viewRoutes } from './routes/views.ts'
import { NoQuery, type WorldInfo } from './schemas.ts'

export { EngagementServer } from './engagement-server.ts'
export { DEFAULT_LIMITS, type HttpLimits } from './http-limits.ts'

export type RegionApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>

/** Path segments longer than this are refused before routing (400); ids have their own bound (128). */
const PARAM_LENGTH_MAX = 4096

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
const QUIET_LEVELS: ReadonlySet<LogLevel> = new Set(['fatal', 'error', 'warn', 'silent'])

export interface LoggerSettings {
  readonly level: LogLevel
  readonly stream?: NodeJS.WritableStream
}

export interface ServerOptions {
  /** A ready core (tests); otherwise `coreFactory` builds one from `initialWorld`. */
  readonly core?: EngagementCore
  /** What `core` was built from (shown by /admin/v1/state). */
  readonly worldInfo?: WorldInfo
  /** Builds worlds for /admin/v1/reset (and the first one when `core` is not given). */
  readonly coreFactory?: CoreFactory
  readonly initialWorld?: { readonly seed: number; readonly scenario: string; readonly scale: number; readonly strategy: string; readonly regions?: readonly string[] }
  readonly adminToken: string
  readonly limits?: Partial<HttpLimits>
  /** pino through fastify; false (the default) logs nothing. */
  readonly logger?: LoggerSettings | false
  readonly clock?: Clock
  /** Add Node process metrics (CPU, memory, event loop) to /metrics. */
  readonly processMetrics?: boolean
}

export class ServerBuildError extends Error {
  readonly code = 'LS_HTTP_BAD_CONFIG'
}

// Requests: strict (no type coercion, unknown properties refused, so `{"userId": 5}` is a 400,
// not the user "5"). Query strings are text, so there numbers are coerced.
const AJV_COMMON = { useDefaults: true, removeAdditional: false, allErrors: false, addUsedSchema: false, strict: true, strictTypes: false, discriminator: true } as const
const strictAjv = new Ajv({ ...AJV_COMMON, coerceTypes: false })
const queryAjv = new Ajv({ ...AJV_COMMON, coerceTypes: true })

function compileValidator({ schema, httpPart }: { schema: object; httpPart?: string }): (data: unknown) => boolean {
  return (httpPart === 'querystring' ? queryAjv : strictAjv).compile(schema)
}

/** Build the server: the world, the metrics, and one ready fastify app per region. */
export async function buildServer(options: ServerOptions): Promise<EngagementServer> {
  const limits: HttpLimits = { ...DEFAULT_LIMITS, ...options.limits }
  const problems = limitProblems(limits)
  if (problems.length > 0) throw new ServerBuildError(`bad limits: ${problems.join('; ')}`)
  const clock = options.clock ?? new MonotonicClock()
  const world = initialWorld(options, clock)
  const metrics = new ServerMetrics({ processMetrics: options.processMetrics ?? false })
  const server = new EngagementServer({ world, metrics, limits, adminToken: options.adminToken })
  for (const region of world.regions) server.addApp(region, await buildRegionApp({ region, server, logger: options.logger ?? false }))
  return server
}

function initialWorld(options: ServerOptions, clock: Clock): LiveWorld {
  if (options.core !== undefined) {
    const core = options.core
    const info = options.worldInfo ?? { scenario: 'custom', seed: core.config.seed, scale: 1, strategy: core.strategy.name, users: core.directory.userCount, videos: core.directory.videoCount }
    return new LiveWorld({ core, info, clock, factory: options.coreFactory })
  }
  if (options.coreFactory === undefined || options.initialWorld === undefined) throw new ServerBuildError('buildServer needs a core, or a coreFactory and an initialWorld')
  const request = options.initialWorld
  const built = options.coreFactory({ ...request, regions: request.regions ?? [] })
  if (!built.ok) throw new ServerBuildError(built.message)
  return new LiveWorld({ core: built.core, info: built.info, clock, factory: options.coreFactory })
}

/** One region's fastify app: API, admin and operations routes over the server's shared world. */
export async function buildRegionApp({ region, server, logger }: { region: string; server: EngagementServer; logger: LoggerSettings | false }): Promise<RegionApp> {
  const { limits, metrics, world } = server
  const unmatchedFramework = metrics.recorder('unmatched', region)
  const onRefused = (code: string): void => metrics.countRefusedConnection(region, code)
  const app: RegionApp = Fastify({
    logger: logger === false ? false : loggerOptions(logger, region),
    // At warn and above no per-request line is ever written, so requests share the app's logger
    // instead of each building a child with its request id (a measurable cost at high load).
    ...(logger !== false && QUIET_LEVELS.has(logger.level) ? { childLoggerFactory: (parent: FastifyBaseLogger) => parent } : {}),
    bodyLimit: limits.bodyLimitBytes,
    http: nodeServerOptions(limits),
    // fastify sets these two on the server after creating it: they must agree with `http`.
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    routerOptions: { maxParamLength: PARAM_LENGTH_MAX },
    frameworkErrors: ((error, request, reply) => {
      handleFrameworkError(error, request, reply)
      unmatchedFramework(reply.statusCode, reply.elapsedTime)
    }) as NonNullable<FastifyServerOptions['frameworkErrors']>,
    clientErrorHandler: clientErrorHandler({ limits, onRefused }),
  }).withTypeProvider<TypeBoxTypeProvider>()
  routeProtocolEvents(app.server, { onRefused, pendingMsMax: responseMsMax(limits) })

  app.setValidatorCompiler(compileValidator)
  // JSON only: anything else is a 415, not a string the schema then refuses.
  app.removeContentTypeParser('text/plain')
  app.setErrorHandler(handleError)
  const unmatched = metrics.recorder('unmatched', region)
  app.setNotFoundHandler((request, reply) => {
    handleNotFound(request, reply)
    unmatched(reply.statusCode, reply.elapsedTime)
  })
  app.addHook('onRequest', protocolCheck)
  // Each route gets an onResponse hook bound to its own series (no per-request label lookups), and
  // a route that takes no query parameters refuses any (400 LS_HTTP_BAD_QUERY), as the API promises.
  app.addHook('onRoute', (route) => {
    if (route.schema !== undefined && route.schema.querystring === undefined) route.schema = { ...route.schema, querystring: NoQuery }
    const record = metrics.recorder(route.url, region)
    const hook: onResponseHookHandler = (_request, reply, done) => {
      record(reply.statusCode, reply.elapsedTime)
      done()
    }
    route.onResponse = route.onResponse === undefined ? [hook] : [...(Array.isArray(route.onResponse) ? route.onResponse : [route.onResponse]), hook]
  })

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'LikeStorm mock engagement server',
        description: `Likes, views and counts of a short-video platform, one listener per region (this document is served by ${region}). Errors are { code, message }.`,
        version: '1',
      },
      components: { securitySchemes: { adminToken: { type: 'http', scheme: 'bearer' } } },
      tags: [
        { name: 'engagement', description: 'the API a client uses' },
        { name: 'admin', description: 'faults, purges, takedowns and resets (bearer token)' },
        { name: 'operations', description: 'health, readiness, metrics, this document' },
      ],
    },
  })

  const ctx: RegionContext = { region, world, metrics, waitMsMax: limits.waitMsMax, waitScale: limits.waitScale, loss: server.loss }
  opsRoutes(app, {
    region,
    metrics,
    isDraining: () => server.isDraining,
    isRegionUp: () => world.core.state(world.clock.nowMs()).regions.some((r) => r.region === region && r.up),
    isSaturated: () => server.limiter(region).saturated,
    snapshot: () => server.metricsSnapshot(),
    capabilities: () => mockServerCapabilities(Object.fromEntries(server.regions.map((r) => [r, server.regionUrl(r)]))),
  })
  await app.register(async (api: RegionApp) => {
    // After the body is read and validated: a stalled body holds a connection, never a slot.
    api.addHook(
      'preHandler',
      admissionHook({
        limit: server.limiter(region),
        queueWaitMsMax: limits.queueWaitMsMax,
        isDraining: () => server.isDraining,
        onShed: (reason) => metrics.countShed(region, reason),
      }),
    )
    likeRoutes(api, ctx)
    viewRoutes(api, ctx)
    videoRoutes(api, ctx)
    userRoutes(api, ctx)
  })
  await app.register(async (admin: RegionApp) => {
    admin.addHook('onRequest', adminAuth(server.adminToken))
    adminRoutes(admin, { region, control: server })
  })
  await app.ready()
  return app
}

function loggerOptions(settings: LoggerSettings, region: string): NonNullable<FastifyServerOptions['logger']> {
  const base = { level: settings.level, base: { region } }
  return settings.stream === undefined ? base : { ...base, stream: settings.stream }
}
