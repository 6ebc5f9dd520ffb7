// A small world for the HTTP tests: three regions, a few users and videos, a server built over it
// with inject() and no port. Capacities are high so nothing is shed unless a test asks for it.
import { DEFAULT_CORE_CONFIG, type CoreConfig, type RegionConfig } from '../../../mock-server/core/config.ts'
import { EngagementCore } from '../../../mock-server/core/engagement-core.ts'
import { strategyByName } from '../../../mock-server/core/strategy.ts'
import type { SystemModule } from '../../../mock-server/systems/system.ts'
import type { DirectoryLoad } from '../../../mock-server/core/types.ts'
import { buildServer, type EngagementServer, type HttpLimits, type LoggerSettings } from '../../../mock-server/http/app.ts'
import { ManualClock, type Clock } from '../../../mock-server/http/clock.ts'
import type { ErrorCode } from '../../../mock-server/http/errors.ts'
import type { CoreFactory } from '../../../mock-server/http/live-world.ts'
import { userRecord } from '../../helpers/user-record.ts'

export const DAY_MS = 86_400_000
export const US = 'us-east'
export const EU = 'eu-west'
export const AP = 'ap-southeast'
export const REGION_IDS = [US, EU, AP] as const
export const TOKEN = 'test-admin-token-0123456789'
export const AUTH = { authorization: `Bearer ${TOKEN}` }

export const USERS = Array.from({ length: 20 }, (_, i) => `u${String(i + 1).padStart(2, '0')}`)
export const VIDEOS = Array.from({ length: 8 }, (_, i) => `v${String(i + 1).padStart(2, '0')}`)


/**
 * c1 and c2 are creators, and u19 has uploaded too (v03, v06: a campaign over v01..v06 spans three
 * creators, as the built-in detector asks of one); u01..u20 are ordinary users (u20 has been idle
 * for a year).
 */
const OWNERS = ['c1', 'c2', 'u19'] as const
export const DIRECTORY: DirectoryLoad = {
  users: [userRecord('c1', 200), userRecord('c2', 201), ...USERS.map((id, i) => userRecord(id, i, id === 'u20' ? { lastActiveAtMs: -365 * DAY_MS } : {}))],
  videos: VIDEOS.map((videoId, i) => ({ videoId, creatorId: OWNERS[i % OWNERS.length] as string })),
}

export function makeCore({ strategy = 'robust', system, capacityRps = 1_000_000, seed = 1, overrides = {} }: { strategy?: string; system?: SystemModule; capacityRps?: number; seed?: number; overrides?: Partial<CoreConfig> } = {}): EngagementCore {
  const regions: RegionConfig[] = REGION_IDS.map((id) => ({ id, capacityRps, cacheCapacityOpsPerS: capacityRps }))
  const behaviour = system ?? strategyByName(strategy)
  if (behaviour === undefined) throw new Error(`no strategy ${strategy}`)
  const core = new EngagementCore({ ...DEFAULT_CORE_CONFIG, seed, regions, ...overrides }, behaviour)
  core.loadDirectory(DIRECTORY)
  return core
}

/** The factory the CLI would inject, over the small world: scenario "small" only. */
export const smallWorldFactory: CoreFactory = ({ seed, scenario, scale, strategy, regions }) => {
  if (scenario !== 'small') return { ok: false, message: `unknown scenario ${JSON.stringify(scenario)}; known: small` }
  if (strategyByName(strategy) === undefined) return { ok: false, message: `unknown strategy ${JSON.stringify(strategy)}` }
  const core = makeCore({ strategy, seed })
  if (regions.length > 0 && regions.join() !== core.regionIds.join()) return { ok: false, message: 'regions differ' }
  return { ok: true, core, info: { scenario, seed, scale, strategy, users: core.directory.userCount, videos: core.directory.videoCount } }
}

export async function makeServer({
  strategy = 'robust',
  system,
  capacityRps = 1_000_000,
  limits = {},
  clock = new ManualClock(1000),
  overrides = {},
  logger = false,
}: { strategy?: string; system?: SystemModule; capacityRps?: number; limits?: Partial<HttpLimits>; clock?: Clock; overrides?: Partial<CoreConfig>; logger?: LoggerSettings | false } = {}): Promise<EngagementServer> {
  const core = makeCore({ strategy, capacityRps, overrides, ...(system === undefined ? {} : { system }) })
  return buildServer({
    core,
    worldInfo: { scenario: 'small', seed: 1, scale: 1, strategy, users: core.directory.userCount, videos: core.directory.videoCount },
    coreFactory: smallWorldFactory,
    adminToken: TOKEN,
    limits,
    clock,
    logger,
  })
}

export const JSON_HEADERS = { 'content-type': 'application/json' }

/** Codes only a real socket can provoke (inject() builds well-formed HTTP); socket.test.ts covers them. */
export const SOCKET_ONLY_CODES: readonly ErrorCode[] = ['LS_HTTP_BAD_REQUEST', 'LS_HTTP_HEADERS_TOO_LARGE', 'LS_HTTP_REQUEST_TIMEOUT', 'LS_HTTP_LISTEN_FAILED']

export interface Sent {
  readonly status: number
  readonly body: Record<string, unknown>
  readonly headers: Record<string, string | string[] | number | undefined>
  readonly text: string
}

/** inject() one request and parse its JSON body (an empty object when it is not JSON). */
export async function send(server: EngagementServer, options: { method?: string; url: string; headers?: Record<string, string>; payload?: unknown; region?: string }): Promise<Sent> {
  const { region = US, ...request } = options
  const response = await server.app(region).inject({
    method: (request.method ?? 'GET') as 'GET',
    url: request.url,
    ...(request.headers === undefined ? {} : { headers: request.headers }),
    ...(request.payload === undefined ? {} : { payload: request.payload as string }),
  })
  let body: Record<string, unknown> = {}
  try {
    body = JSON.parse(response.body) as Record<string, unknown>
  } catch {
    body = {}
  }
  return { status: response.statusCode, body, headers: response.headers, text: response.body }
}

export function like(server: EngagementServer, videoId: string, userId: string, { region = US, key }: { region?: string; key?: string } = {}): Promise<Sent> {
  return send(server, { method: 'POST', url: `/v1/videos/${videoId}/likes`, payload: { userId }, region, ...(key === undefined ? {} : { headers: { 'idempotency-key': key } }) })
}

export function admin(server: EngagementServer, method: string, url: string, payload?: unknown, region = US): Promise<Sent> {
  return send(server, { method, url, headers: AUTH, payload, region })
}

/** Counts of a video as a region sees them, straight from the core (no HTTP, no admission). */
export function likeCountInCore(server: EngagementServer, videoId: string, region = US): number {
  const core = server.world.core
  const result = core.readVideo({ nowMs: server.world.clock.nowMs(), region, videoId })
  if (!result.ok) throw new Error(`read failed: ${result.code}`)
  return result.value.likeCount
}
