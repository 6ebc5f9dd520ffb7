// What a --target offered a run, in words (pure): one line of what it serves and how its clock was
// related to ours, how faults reached it, its state before the traffic, then the notes on how all
// that was found out. The summary, the HTML report and the Markdown summary say the same, so a
// not-applicable check's reason is visible wherever the verdict is.
import type { HttpRunConfig, RunResult, TargetCapabilityRecord } from '../result/result.ts'

const SOURCE = { document: 'its capabilities document', profile: '--target-profile', probed: 'probed (no capabilities document)', embedded: '' } as const
const FAULTS = { admin: 'faults through its admin API', proxy: "faults through LikeStorm's fault proxy", none: 'no faults but the traffic’s own' } as const
const STATE = { none: 'fresh', reset: 'reset through its admin API', 'allowed-dirty': 'not fresh, taken as it was (--allow-dirty-target)' } as const

export interface TargetDescription {
  /** What it offered, with how its clock was related to ours. */
  readonly offered: string
  /** How the run reached it: an adapter, the fault route, its state before the traffic (empty: nothing recorded). */
  readonly how: string
  /** How that was found out, one line each. */
  readonly notes: readonly string[]
}

/** The lines: what it offered, how the run reached it, the notes; none for the embedded server or a result without them. */
export function targetLines(result: Pick<RunResult, 'config'>): string[] {
  const target = describeTarget(result)
  return target === undefined ? [] : [target.offered, ...(target.how === '' ? [] : [target.how]), ...target.notes]
}

export function describeTarget(result: Pick<RunResult, 'config'>): TargetDescription | undefined {
  const http: HttpRunConfig | undefined = result.config.http
  const capabilities = http?.capabilities
  if (http === undefined || capabilities === undefined || capabilities.source === 'embedded') return undefined
  const { clock } = capabilities
  const offers = [
    `${capabilities.distinctRegions} region${capabilities.distinctRegions === 1 ? '' : 's'}`,
    `like states ${likeStatesWords(capabilities)}`,
    capabilities.staleness === 'asOf' ? 'answers carry asOfMs' : 'answers carry no asOfMs',
    clock.by === 'none' || clock.uncertaintyWallMs === null ? 'clock not calibrated' : `clock calibrated by ${clock.by} to ±${clock.uncertaintyWallMs.toFixed(1)} ms`,
    capabilities.world === 'loaded' ? 'holds the world' : 'ids on first use',
    capabilities.notifications ? 'notifications' : 'no notifications',
    capabilities.admin === 'likestorm' ? 'admin API' : 'no admin API',
  ]
  const how = [
    ...(http.adapter === undefined ? [] : [`through the adapter ${http.adapter}`]),
    ...(http.faults === undefined ? [] : [FAULTS[http.faults]]),
    ...(capabilities.state === undefined ? [] : [`${STATE[capabilities.state.action]}${capabilities.state.detail === '' ? '' : `: ${capabilities.state.detail}`}`]),
  ]
  return { offered: `${SOURCE[capabilities.source]}: ${offers.join(', ')}`, how: how.join('; '), notes: capabilities.notes }
}

function likeStatesWords({ likeStates, likeStatesSample: sample }: TargetCapabilityRecord): string {
  if (likeStates === 'lists') return 'from liked lists'
  if (likeStates === 'none') return 'not read'
  return sample === undefined ? 'read back pair by pair' : `read back pair by pair on a random sample of ${sample.read} of the ${sample.of} pairs touched`
}
