// The process entry of the mock server: listen on one port per region, print where, then wait
// for SIGINT/SIGTERM (or an abort signal) and shut down gracefully — stop accepting, let in-flight
// requests finish within a bound, reset what is left — and return exit code 0. A second signal
// during the drain resets every connection at once. This is also the only place that draws
// randomness from the OS (the admin token): the core and the world stay deterministic.
import { randomBytes } from 'node:crypto'
import type { EngagementServer } from './app.ts'
import type { ListenerAddress } from './region-listeners.ts'

export const DEFAULT_DRAIN_MS_MAX = 10_000

export interface RunServerOptions {
  readonly server: EngagementServer
  readonly host: string
  /** First region's port; the others follow (0: a free port each). */
  readonly port: number
  readonly out: NodeJS.WritableStream
  readonly err: NodeJS.WritableStream
  /** True when the admin token was generated here, so it must be printed. */
  readonly tokenGenerated: boolean
  readonly drainMsMax?: number
  /** Stops the server like a signal does (tests, embedding). */
  readonly stop?: AbortSignal
  /** Called once the table is printed, with the addresses. */
  readonly onListening?: (addresses: readonly ListenerAddress[]) => void
}

export type RunServerOutcome = { readonly ok: true; readonly exitCode: number } | { readonly ok: false; readonly message: string }

export function generateAdminToken(): string {
  return randomBytes(24).toString('base64url')
}

/** Listen, print the table, serve until stopped, drain. Resolves when the server has stopped. */
export async function runServer(options: RunServerOptions): Promise<RunServerOutcome> {
  const { server, out, err } = options
  let addresses: ListenerAddress[]
  try {
    addresses = await server.listen({ host: options.host, port: options.port })
  } catch (error) {
    await server.close({ drainMsMax: 0 })
    return { ok: false, message: `cannot listen on ${options.host}:${options.port}: ${error instanceof Error ? error.message : String(error)}` }
  }
  out.write(renderBanner(server, addresses, options.tokenGenerated))
  options.onListening?.(addresses)
  const drainMsMax = options.drainMsMax ?? DEFAULT_DRAIN_MS_MAX
  const stop = stopSignals(options.stop, () => server.destroy())
  const reason = await stop.requested
  err.write(`likestorm serve: ${reason}: draining in-flight requests (up to ${drainMsMax / 1000} s; signal again to force)\n`)
  await server.close({ drainMsMax })
  stop.detach()
  err.write('likestorm serve: stopped\n')
  return { ok: true, exitCode: 0 }
}

/** The first SIGINT/SIGTERM (or abort) asks for a stop; a second one calls `force`. */
function stopSignals(abort: AbortSignal | undefined, force: () => void): { requested: Promise<string>; detach: () => void } {
  let stopping = false
  let resolveRequested: (reason: string) => void = () => {}
  const requested = new Promise<string>((resolve) => {
    resolveRequested = resolve
  })
  const onStop = (reason: string): void => {
    if (stopping) return force()
    stopping = true
    resolveRequested(reason)
  }
  const onInt = (): void => onStop('SIGINT')
  const onTerm = (): void => onStop('SIGTERM')
  const onAbort = (): void => onStop('stop requested')
  process.on('SIGINT', onInt)
  process.on('SIGTERM', onTerm)
  if (abort?.aborted === true) onAbort()
  else abort?.addEventListener('abort', onAbort, { once: true })
  const detach = (): void => {
    process.off('SIGINT', onInt)
    process.off('SIGTERM', onTerm)
    abort?.removeEventListener('abort', onAbort)
  }
  return { requested, detach }
}

/** What the operator reads on start: the region table, the token, a first request to try. */
export function renderBanner(server: EngagementServer, addresses: readonly ListenerAddress[], tokenGenerated: boolean): string {
  const info = server.world.info
  const regionWidth = Math.max(6, ...addresses.map((address) => address.region.length))
  const lines = [
    `likestorm mock server · strategy ${info.strategy} · world ${info.scenario} seed ${info.seed} scale ${info.scale} (${info.users.toLocaleString('en-US')} users, ${info.videos.toLocaleString('en-US')} videos)`,
    '',
    `  ${'region'.padEnd(regionWidth)}  url`,
    ...addresses.map((address) => `  ${address.region.padEnd(regionWidth)}  ${address.url}`),
    '',
  ]
  const first = addresses[0]
  if (first !== undefined) {
    const directory = server.world.core.directory
    const userId = directory.userCount > 0 ? directory.userId(0) : '<userId>'
    const videoId = directory.videoCount > 0 ? directory.videoId(0) : '<videoId>'
    lines.push(
      `admin token: ${tokenGenerated ? `${server.adminToken}  (generated; --admin-token T sets one)` : '(the one given with --admin-token)'}`,
      `api: ${first.url}/v1 · admin: ${first.url}/admin/v1 · docs: ${first.url}/openapi.json · metrics: ${first.url}/metrics`,
      `try: curl -s -X POST ${first.url}/v1/videos/${videoId}/likes -H 'content-type: application/json' -d '{"userId":"${userId}"}'`,
      `ids: curl -s ${first.url}/admin/v1/directory -H 'authorization: Bearer <token>'`,
      'Ctrl-C drains in-flight requests and stops.',
      '',
    )
  }
  return lines.join('\n')
}
