// Operations routes of every region listener: /healthz (the process answers), /readyz (this
// region takes traffic), /metrics (Prometheus), /openapi.json (generated from the schemas) and
// /.well-known/likestorm.json (what this server offers a LikeStorm run: capabilities.ts).
import type { RegionApp } from '../app.ts'
import { CAPABILITIES_PATH, TargetCapabilities } from '../capabilities.ts'
import { sendError } from '../error-handler.ts'
import type { MetricsSnapshot, ServerMetrics } from '../metrics.ts'
import { ERROR_RESPONSES, HealthResponse, MetricsResponse, OpenApiResponse, ReadyResponse } from '../schemas.ts'

export interface OpsContext {
  readonly region: string
  readonly metrics: ServerMetrics
  readonly isDraining: () => boolean
  readonly isRegionUp: () => boolean
  /** Every in-flight slot of the region taken and its queue full (new API requests are shed). */
  readonly isSaturated: () => boolean
  readonly snapshot: () => MetricsSnapshot
  /** This server's capabilities document (its regions' URLs as they listen now). */
  readonly capabilities: () => TargetCapabilities
}

export function opsRoutes(app: RegionApp, ctx: OpsContext): void {
  app.get('/healthz', { schema: { summary: 'Liveness', tags: ['operations'], response: { 200: HealthResponse, ...ERROR_RESPONSES } } }, (_request, reply) => {
    reply.send({ status: 'ok', region: ctx.region })
  })

  app.get('/readyz', { schema: { summary: 'Readiness of this region', tags: ['operations'], response: { 200: ReadyResponse, ...ERROR_RESPONSES } } }, (_request, reply) => {
    if (ctx.isDraining()) return void sendError(reply, { code: 'LS_HTTP_SHUTTING_DOWN' })
    if (!ctx.isRegionUp()) return void sendError(reply, { code: 'LS_CORE_REGION_DOWN' })
    if (ctx.isSaturated()) return void sendError(reply, { code: 'LS_HTTP_OVERLOADED', detail: 'in-flight bound and queue are full', retryAfterS: 1 })
    reply.send({ status: 'ready', region: ctx.region })
  })

  app.get('/metrics', { schema: { summary: 'Prometheus metrics', tags: ['operations'], response: { 200: MetricsResponse, ...ERROR_RESPONSES } } }, async (_request, reply) => {
    const text = await ctx.metrics.render(ctx.snapshot())
    return reply.type(ctx.metrics.contentType).send(text)
  })

  app.get(CAPABILITIES_PATH, { schema: { summary: 'What this server offers a LikeStorm run (docs/targets.md)', tags: ['operations'], response: { 200: TargetCapabilities, ...ERROR_RESPONSES } } }, (_request, reply) => {
    reply.send(ctx.capabilities())
  })

  app.get('/openapi.json', { schema: { summary: 'This API as an OpenAPI 3 document', tags: ['operations'], response: { 200: OpenApiResponse } } }, (_request, reply) => {
    reply.send(app.swagger())
  })
}
