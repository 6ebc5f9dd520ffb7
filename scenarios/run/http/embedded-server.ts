// Mode http without --target: the mock server, started in this process on loopback ephemeral
// ports (one per region) with the run's world and strategy, and stopped at the end.
import { randomBytes } from 'node:crypto'
import { DEFAULT_CORE_CONFIG } from '../../../mock-server/core/config.ts'
import { EngagementCore } from '../../../mock-server/core/engagement-core.ts'
import type { StrategyBehaviour } from '../../../mock-server/core/strategy.ts'
import { buildServer } from '../../../mock-server/http/app.ts'
import type { EngagementServer } from '../../../mock-server/http/app.ts'
import { coreConfigFor, directoryFor, importedLikesFor, type RunSetup } from '../run-setup.ts'
import { idempotencyTtlMs } from './retry-horizon.ts'
import type { ScenarioClock } from './scenario-clock.ts'

export interface EmbeddedServer {
  readonly server: EngagementServer
  readonly urls: Readonly<Record<string, string>>
  readonly adminToken: string
  close(): Promise<void>
}

export async function startEmbeddedServer({ setup, strategy, clock, inFlightMax }: { setup: RunSetup; strategy: StrategyBehaviour; clock: ScenarioClock; inFlightMax: number }): Promise<EmbeddedServer> {
  // Keys outlive every retry the client can still send, however compressed the clock.
  const ttlMs = idempotencyTtlMs({ client: setup.client, regions: setup.population.regionIds.length, timeScale: clock.timeScale, defaultTtlMs: DEFAULT_CORE_CONFIG.idempotencyTtlMs })
  const core = new EngagementCore(coreConfigFor(setup, { idempotencyTtlMs: ttlMs }), strategy)
  core.loadDirectory(directoryFor(setup.population))
  core.importLikes(importedLikesFor(setup.population))
  const adminToken = randomBytes(24).toString('base64url')
  const server = await buildServer({
    core,
    adminToken,
    clock,
    logger: false,
    // The server's clock runs at scenario speed: its modelled waits shrink or stretch with it.
    limits: { inFlightMax, queueMax: inFlightMax * 4, waitScale: clock.timeScale },
    worldInfo: {
      scenario: setup.scenario.name,
      seed: setup.seed,
      scale: setup.scale,
      strategy: strategy.name,
      users: setup.population.userCount,
      videos: setup.population.videoCount,
    },
  })
  const addresses = await server.listen({ host: '127.0.0.1', port: 0 })
  const urls: Record<string, string> = {}
  for (const address of addresses) urls[address.region] = address.url
  return { server, urls, adminToken, close: () => server.close({ drainMsMax: 2000 }) }
}
