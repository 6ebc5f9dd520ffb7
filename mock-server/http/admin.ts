// The admin API under /admin/v1, on every region listener (so it stays reachable while other
// regions are down), behind a bearer token compared in constant time: 401 without a token, 403
// with a wrong one. It switches the faults of the timeline, runs purges, takes videos down and
// restores them, resets the world from a seed, and reports the state. Purges run in slices
// (purge-runner.ts) so that every region keeps serving while one runs.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { Socket } from 'node:net'
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import type { EngagementCore } from '../core/engagement-core.ts'
import type { ClientLoss } from '../env/client-loss.ts'
import type { ActiveFault as CoreActiveFault } from '../core/types.ts'
import type { RegionApp } from './app.ts'
import { sendError, type ClassifiedError, type ErrorRouteConfig } from './error-handler.ts'
import { HttpError } from './errors.ts'
import type { LiveWorld, WorldRequest } from './live-world.ts'
import type { ServerMetrics } from './metrics.ts'
import { PurgeRunner, type PurgeOutcome } from './purge-runner.ts'
import {
  AdminHeaders,
  DirectoryQuery,
  DirectoryResponse,
  ERROR_RESPONSES,
  FaultRequest,
  FaultsResponse,
  InactivePurgeBody,
  PurgeReportSchema,
  ResetBody,
  StateResponse,
  TakedownBody,
  TakedownResponse,
  VideoParams,
  WorldInfo,
} from './schemas.ts'
import { Type, type Static } from 'typebox'

/** What the admin routes may do to the server beyond the core: listeners and the world. */
export interface AdminControl {
  readonly world: LiveWorld
  readonly metrics: ServerMetrics
  /** The clients' lossy paths to the regions (network-loss): enacted by the region listeners. */
  readonly loss: ClientLoss
  state(): Static<typeof StateResponse>
  /** Take a region down (its listener closes, sparing `spare`) or bring it back (listens again). */
  setRegionUp(region: string, up: boolean, spare: Socket | undefined): Promise<ClassifiedError | undefined>
  reset(request: WorldRequest): Promise<ClassifiedError | Static<typeof WorldInfo>>
}

export interface AdminContext {
  /** The region whose listener serves these routes. */
  readonly region: string
  readonly control: AdminControl
}

const SECURITY = [{ adminToken: [] }] as const
const AUTH_HEADER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i

/** The onRequest hook that guards every admin route. */
export function adminAuth(token: string) {
  const expected = digest(token)
  return function checkToken(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    const header = request.headers.authorization
    const presented = typeof header === 'string' ? AUTH_HEADER.exec(header)?.[1] : undefined
    if (presented === undefined) {
      reply.header('www-authenticate', 'Bearer realm="likestorm-admin"')
      done(new HttpError('LS_HTTP_UNAUTHORIZED'))
      return
    }
    // Digests have one length whatever was sent, so the comparison time says nothing about the token.
    if (!timingSafeEqual(digest(presented), expected)) {
      done(new HttpError('LS_HTTP_FORBIDDEN'))
      return
    }
    done()
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest()
}

export function adminRoutes(app: RegionApp, ctx: AdminContext): void {
  const { control } = ctx
  const world = control.world
  const faultConfig: ErrorRouteConfig = { bodyErrorCode: 'LS_HTTP_BAD_FAULT' }
  const resetConfig: ErrorRouteConfig = { bodyErrorCode: 'LS_HTTP_BAD_RESET' }
  const admin = { tags: ['admin'], security: SECURITY, headers: AdminHeaders }

  app.get('/admin/v1/state', { schema: { ...admin, summary: 'Faults, per-region counts and replication lag', response: { 200: StateResponse, ...ERROR_RESPONSES } } }, (_request, reply) => {
    reply.send(control.state())
  })

  app.get(
    '/admin/v1/directory',
    { schema: { ...admin, summary: 'Known user and video ids, a slice at a time', querystring: DirectoryQuery, response: { 200: DirectoryResponse, ...ERROR_RESPONSES } } },
    (request, reply) => {
      const { offset = 0, limit = 100 } = request.query
      const directory = world.core.directory
      reply.send({
        userTotal: directory.userCount,
        videoTotal: directory.videoCount,
        userIds: directory.userIdSlice(offset, offset + limit),
        videoIds: directory.videoIdSlice(offset, offset + limit),
      })
    },
  )

  app.post(
    '/admin/v1/faults',
    {
      config: faultConfig,
      schema: { ...admin, summary: 'Start or stop a fault: region-outage, partition, slow-cache, network-loss, overload, takedown', body: FaultRequest, response: { 200: FaultsResponse, ...ERROR_RESPONSES } },
    },
    async (request, reply) => {
      const fault = request.body
      // Taking down the region this request came through: its own connection is spared until the
      // reply is out (then closed), every other connection of the region is reset.
      const ownRegionDown = fault.kind === 'region-outage' && fault.action === 'start' && fault.region === ctx.region
      const spare = ownRegionDown ? request.raw.socket : undefined
      if (ownRegionDown) reply.header('connection', 'close')
      const refused = await switchFault(fault, { core: world.core, loss: control.loss, nowMs: world.clock.nowMs(), setRegionUp: (region, up) => control.setRegionUp(region, up, spare) })
      if (refused !== undefined) return sendError(reply, refused)
      return reply.send({ faults: activeFaults(world.core, control.loss, world.clock.nowMs()) })
    },
  )

  // Purges run in slices between which every region keeps serving (purge-runner.ts), one at a time.
  const purges = purgeRunnerOf(control)
  const purgeSummary = ' (in slices: every region keeps serving meanwhile; one purge at a time, a second waits for the first)'
  app.post(
    '/admin/v1/purges/bot',
    { schema: { ...admin, summary: `Run detection and purge the flagged accounts now${purgeSummary}`, response: { 200: PurgeReportSchema, ...ERROR_RESPONSES } } },
    async (_request, reply) => {
      const outcome = await purges.run((core, nowMs) => core.beginBotPurge(nowMs))
      return sendPurge(reply, control.metrics, outcome)
    },
  )

  app.post(
    '/admin/v1/purges/inactive',
    {
      schema: { ...admin, summary: `Purge accounts idle for more than idleDays now${purgeSummary}`, body: InactivePurgeBody, response: { 200: PurgeReportSchema, ...ERROR_RESPONSES } },
    },
    async (request, reply) => {
      const { idleDays } = request.body
      const outcome = await purges.run((core, nowMs) => core.beginInactivePurge(nowMs, { idleDays }))
      return sendPurge(reply, control.metrics, outcome)
    },
  )

  app.post('/admin/v1/takedowns', { schema: { ...admin, summary: 'Take videos down', body: TakedownBody, response: { 200: TakedownResponse, ...ERROR_RESPONSES } } }, (request, reply) => {
    const refused = setTakenDown(world.core, request.body.videoIds, true)
    if (refused !== undefined) return void sendError(reply, refused)
    reply.send({ takenDown: takenDown(world.core, world.clock.nowMs()) })
  })

  app.delete(
    '/admin/v1/takedowns/:videoId',
    { schema: { ...admin, summary: 'Restore a video taken down', params: VideoParams, response: { 200: TakedownResponse, ...ERROR_RESPONSES } } },
    (request, reply) => {
      const refused = setTakenDown(world.core, [request.params.videoId], false)
      if (refused !== undefined) return void sendError(reply, refused)
      reply.send({ takenDown: takenDown(world.core, world.clock.nowMs()) })
    },
  )

  app.post(
    '/admin/v1/reset',
    {
      config: resetConfig,
      schema: {
        ...admin,
        summary: 'Rebuild the world from a seed (and optionally another scenario, scale or strategy); every region comes back up',
        body: ResetBody,
        response: { 200: Type.Object({ world: WorldInfo }), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const outcome = await control.reset(request.body)
      if ('code' in outcome) return sendError(reply, outcome)
      return reply.send({ world: outcome })
    },
  )
}

interface FaultTargets {
  readonly core: EngagementCore
  readonly loss: ClientLoss
  readonly nowMs: number
  readonly setRegionUp: (region: string, up: boolean) => Promise<ClassifiedError | undefined>
}

/** Apply one fault switch; a refusal comes back as a catalogue error, nothing changed. */
export async function switchFault(fault: FaultRequest, { core, loss, nowMs, setRegionUp }: FaultTargets): Promise<ClassifiedError | undefined> {
  const start = fault.action === 'start'
  const unknown = unknownRegion(core, fault)
  if (unknown !== undefined) return unknown
  switch (fault.kind) {
    case 'region-outage':
      return setRegionUp(fault.region, !start)
    case 'partition':
      if (fault.a === fault.b) return { code: 'LS_HTTP_BAD_FAULT', detail: 'a partition needs two different regions' }
      core.setPartition(fault.a, fault.b, start, nowMs)
      return undefined
    case 'slow-cache':
      if (start && fault.latencyMs === undefined) return { code: 'LS_HTTP_BAD_FAULT', detail: 'starting slow-cache needs latencyMs' }
      core.setSlowCache(fault.region, start ? (fault.latencyMs ?? 0) : 0)
      return undefined
    case 'network-loss':
      if (start && fault.share === undefined) return { code: 'LS_HTTP_BAD_FAULT', detail: 'starting network-loss needs share' }
      // One loss per region through this route: a second start replaces the first.
      if (start) loss.start(fault.region, fault.region, fault.share ?? 0)
      else loss.stop(fault.region)
      return undefined
    case 'overload':
      if (start && fault.factor === undefined) return { code: 'LS_HTTP_BAD_FAULT', detail: 'starting overload needs factor' }
      core.setOverload(fault.region, start ? (fault.factor ?? 1) : 1)
      return undefined
    case 'takedown':
      return setTakenDown(core, fault.videoIds, start)
  }
}

function unknownRegion(core: EngagementCore, fault: FaultRequest): ClassifiedError | undefined {
  const named = fault.kind === 'partition' ? [fault.a, fault.b] : fault.kind === 'takedown' ? [] : [fault.region]
  const regions = core.regionIds
  const unknown = named.find((region) => !regions.includes(region))
  return unknown === undefined ? undefined : { code: 'LS_CORE_UNKNOWN_REGION', detail: `${unknown}; known: ${regions.join(', ')}` }
}

/** All or nothing: any unknown id refuses the whole request. */
function setTakenDown(core: EngagementCore, videoIds: readonly string[], down: boolean): ClassifiedError | undefined {
  const unknown = videoIds.filter((videoId) => core.directory.video(videoId) < 0)
  if (unknown.length > 0) return { code: 'LS_CORE_UNKNOWN_VIDEO', detail: unknown.slice(0, 5).join(', ') + (unknown.length > 5 ? ` and ${unknown.length - 5} more` : '') }
  core.setTakenDown(videoIds, down)
  return undefined
}

function takenDown(core: EngagementCore, nowMs: number): string[] {
  const fault = core.state(nowMs).faults.find((f) => f.kind === 'takedown')
  return fault?.kind === 'takedown' ? [...fault.videoIds] : []
}

/** The core's faults and the lossy paths in front of it. */
export function activeFaults(core: EngagementCore, loss: ClientLoss, nowMs: number): Array<Static<typeof FaultsResponse>['faults'][number]> {
  return [...core.state(nowMs).faults.map(copyFault), ...loss.active().map(({ region, share }) => ({ kind: 'network-loss', region, share }))]
}

export function copyFault(fault: CoreActiveFault): Static<typeof FaultsResponse>['faults'][number] {
  return fault.kind === 'takedown' ? { kind: fault.kind, videoIds: [...fault.videoIds] } : { ...fault }
}

/** One purge runner per server (the admin routes of every region share it). */
const purgeRunners = new WeakMap<AdminControl, PurgeRunner>()

function purgeRunnerOf(control: AdminControl): PurgeRunner {
  let runner = purgeRunners.get(control)
  if (runner === undefined) {
    runner = new PurgeRunner({ world: control.world })
    purgeRunners.set(control, runner)
  }
  return runner
}

/** The report's JSON is streamed in pieces (PurgeReportSchema's shape, JSON.stringify's text). */
function sendPurge(reply: FastifyReply, metrics: ServerMetrics, { report, body }: PurgeOutcome): FastifyReply {
  const views = report.removedViews?.reduce((sum, item) => sum + item.views, 0) ?? 0
  metrics.countPurge(report.kind, { accounts: report.accounts.length, likes: report.removedLikes.length, views })
  return reply.type('application/json; charset=utf-8').send(body)
}
