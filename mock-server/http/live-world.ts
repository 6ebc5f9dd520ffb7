// The world the server is serving: the engagement core (users, videos, likes, faults), what it
// was built from, and the clock that feeds it. A reset swaps in a new core built by the injected
// factory and restarts the clock, so the new world starts at time 0 as a sim run does. The HTTP
// layer never builds worlds itself (it does not import sim/ or scenarios/): the CLI hands it a
// factory that does.
import type { EngagementCore } from '../core/engagement-core.ts'
import type { Clock } from './clock.ts'
import type { WorldInfo } from './schemas.ts'

/** What a reset asks for; missing fields keep the current world's values. */
export interface WorldRequest {
  readonly seed: number
  readonly scenario?: string | undefined
  readonly scale?: number | undefined
  readonly strategy?: string | undefined
}

export type BuiltWorld = { readonly ok: true; readonly core: EngagementCore; readonly info: WorldInfo } | { readonly ok: false; readonly message: string }

/**
 * Builds a core for a world. `regions` are the regions the server listens for: the new core must
 * have exactly these (a reset cannot add or remove listeners). Refusals are values, not throws.
 */
export type CoreFactory = (request: { readonly seed: number; readonly scenario: string; readonly scale: number; readonly strategy: string; readonly regions: readonly string[] }) => BuiltWorld

export class LiveWorld {
  private current: EngagementCore
  private currentInfo: WorldInfo
  readonly clock: Clock
  private readonly factory: CoreFactory | undefined

  constructor({ core, info, clock, factory }: { core: EngagementCore; info: WorldInfo; clock: Clock; factory?: CoreFactory | undefined }) {
    this.current = core
    this.currentInfo = info
    this.clock = clock
    this.factory = factory
  }

  get core(): EngagementCore {
    return this.current
  }

  get info(): WorldInfo {
    return this.currentInfo
  }

  get regions(): readonly string[] {
    return this.current.regionIds
  }

  /** Build a new world and make it current; the old one is dropped. */
  reset(request: WorldRequest): BuiltWorld {
    if (this.factory === undefined) return { ok: false, message: 'this server was started without a world factory, so it cannot reset' }
    const built = this.factory({
      seed: request.seed,
      scenario: request.scenario ?? this.currentInfo.scenario,
      scale: request.scale ?? this.currentInfo.scale,
      strategy: request.strategy ?? this.currentInfo.strategy,
      regions: this.regions,
    })
    if (!built.ok) return built
    const regions = built.core.regionIds
    if (regions.length !== this.regions.length || regions.some((region, i) => region !== this.regions[i])) {
      return { ok: false, message: `the new world has regions ${regions.join(', ')}; the server listens for ${this.regions.join(', ')}` }
    }
    this.current = built.core
    this.currentInfo = built.info
    this.clock.restart()
    return built
  }
}
