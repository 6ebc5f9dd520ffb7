// How long after its first send a write may still arrive at the server with the same
// idempotency key: the client's retry horizon, on the wall clock. A key the server forgets sooner
// turns a late retry into a second write (a view counted twice, a like applied after its unlike),
// so the embedded server keeps keys at least that long in its own (scenario) time, whatever
// --time-scale compresses: TTL_server >= horizon_wall / timeScale.
import { backoffMaxMs, RETRY_AFTER_MAX_S } from '../../protocol/client-protocol.ts'
import type { ClientSpec } from '../../protocol/client-spec.ts'

export { RETRY_AFTER_MAX_S } from '../../protocol/client-protocol.ts'

/** A network duplicate of a write follows its original by at most this much (scenario ms; sim/traffic.ts draws 10..300). */
const DUPLICATE_DELAY_MAX_MS = 300


/**
 * The server keeps keys this many times the horizon: on a loaded machine the client's timers
 * fire late (event-loop delays of hundreds of ms were measured beside a busy neighbour), so the
 * real horizon stretches; a key kept longer costs only memory, which idempotencyMaxKeys bounds.
 */
const TTL_SAFETY_FACTOR = 2

export interface HorizonInput {
  readonly client: ClientSpec
  readonly regions: number
  /** Wall ms per scenario ms. */
  readonly timeScale: number
  /** Wall ms per millisecond of the server's clock (timeScale for the embedded server, 1 for a target on its own clock). */
  readonly wallMsPerServerMs: number
}

/**
 * Wall ms from a write's first send to the last moment one of its attempts (or a duplicate's) can
 * reach the server: every attempt may fail over across every region, each hop bounded by the
 * client timeout (wall); between attempts the backoff (scenario ms, jittered) or a Retry-After
 * (the server's seconds, capped), whichever is longer.
 */
export function retryHorizonWallMs({ client, regions, timeScale, wallMsPerServerMs }: HorizonInput): number {
  const attempts = Math.max(1, client.maxAttempts)
  let waitsWallMs = 0
  for (let attempt = 1; attempt < attempts; attempt++) {
    const backoffWallMs = backoffMaxMs(client, attempt) * timeScale
    const retryAfterWallMs = RETRY_AFTER_MAX_S * 1000 * wallMsPerServerMs
    waitsWallMs += Math.max(backoffWallMs, retryAfterWallMs)
  }
  return attempts * Math.max(1, regions) * client.timeoutMs + waitsWallMs + DUPLICATE_DELAY_MAX_MS * timeScale
}

/** The embedded server's idempotency TTL in its own (scenario) ms: the horizon, with a margin, never below the default. */
export function idempotencyTtlMs(input: Omit<HorizonInput, 'wallMsPerServerMs'> & { readonly defaultTtlMs: number }): number {
  const horizonWallMs = retryHorizonWallMs({ ...input, wallMsPerServerMs: input.timeScale })
  return Math.max(input.defaultTtlMs, Math.ceil((TTL_SAFETY_FACTOR * horizonWallMs) / input.timeScale))
}
