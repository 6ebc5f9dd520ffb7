// Before the clock starts: warm the request path up, hand the world to a target that takes it
// (its capabilities name a provisioning path), and relate a target's clock to ours. A target on
// its own clock is calibrated from what it says the time is: with an admin token,
// /admin/v1/state's nowMs; else reads of one video (a read changes nothing), whose fresh asOfMs
// and Date header each bound the offset; what they leave open is the precision reached
// (server-clock.ts). A target that says nothing about time stays uncalibrated, and the checks that
// need its times say so. Before the
// clock, a target is checked to be fresh (target-freshness.ts): a dirty one is reset through the
// admin API when the run has a token, else the run stops unless --allow-dirty-target.
import { Readable } from 'node:stream'
import { request } from 'undici'
import { UsageError } from '../../errors.ts'
import { videoPath } from '../../protocol/request-shape.ts'
import { loadVus } from '../executors/index.ts'
import type { RunSetup } from '../run-setup.ts'
import { WORLD_MEDIA_TYPE, worldLines } from '../world-export.ts'
import type { AdminWatch } from './admin-watch.ts'
import type { RunClient } from './http-driver.ts'
import type { HttpFaults } from './http-faults.ts'
import type { ScenarioClock } from './scenario-clock.ts'
import { dateHeaderServerMs, type ServerClock } from './server-clock.ts'
import type { Capabilities, TargetState } from './target-capabilities.ts'
import { inspectFreshness, type FreshnessInspection } from './target-freshness.ts'

/** Admin calls that calibrate a target's clock before the traffic. */
const CALIBRATION_CALLS = 5
/** Reads go on until the offset is known to within this much (wall ms), at most this long (a Date header's second must turn), this many, this far apart. */
const CALIBRATION_WIDTH_WALL_MS = 10
const CALIBRATION_WINDOW_MS = 1200
const CALIBRATION_READS_MAX = 400
const CALIBRATION_READ_GAP_MS = 2
/** The warm-up's route (changes nothing) and its size: enough calls for V8 to optimize the request path. */
const WARM_UP_PATH = '/healthz'
const WARM_UP_REQUESTS_PER_REGION = 500
/** A provisioning request may take this long (wall ms): a world of a million accounts is tens of MB. */
const PROVISIONING_TIMEOUT_MS = 120_000

export interface PreparationContext {
  readonly setup: RunSetup
  readonly client: RunClient
  readonly clock: ScenarioClock
  readonly serverClock: ServerClock
  readonly adminWatch: AdminWatch
  readonly faults: HttpFaults
  readonly capabilities: Capabilities
  /** The first region's base URL (where the provisioning request goes). */
  readonly firstUrl: string
  /** Run against a target that holds leftover state, judging only what the run can tell apart. */
  readonly allowDirtyTarget: boolean
}

/**
 * A fresh answer about a video's counts that the target gave the preparation: the target may
 * serve it later as its last known good (History.countsReadBefore). Its asOfMs is on the target's
 * clock, turned into the run's once the run's clock has started.
 */
export interface CountsReadBeforeRun {
  readonly region: string
  readonly video: number
  readonly serverAsOfMs: number
}

export interface PreparedTarget {
  /** As they stand after the preparation (a provisioned target holds the world). */
  readonly capabilities: Capabilities
  /** In the target's present world (reads before a reset are gone with it); empty for a target whose answers claim no age. */
  readonly countsReadBefore: readonly CountsReadBeforeRun[]
}

/** Warm up, provision, calibrate. */
export async function prepareTarget(context: PreparationContext): Promise<PreparedTarget> {
  const { setup, client, serverClock, adminWatch, faults } = context
  await client.warmUp({ path: WARM_UP_PATH, connectionsPerRegion: loadVus(setup.scenario.load.scenarios, setup.scale).preAllocated, requestsPerRegion: WARM_UP_REQUESTS_PER_REGION })
  let capabilities = context.capabilities
  if (capabilities.provisioningPath !== undefined) capabilities = await provision(context, capabilities, capabilities.provisioningPath)
  const countsReadBefore: CountsReadBeforeRun[] = []
  // The embedded server is built for this run; a target may hold an earlier run's likes.
  if (capabilities.source !== 'embedded') {
    const fresh = await freshTarget(context, capabilities)
    capabilities = { ...capabilities, state: fresh.state }
    const region = setup.population.regionIds[0] as string
    for (const { video, asOfMs } of fresh.observed) if (asOfMs !== undefined) countsReadBefore.push({ region, video, serverAsOfMs: asOfMs })
  }
  const prepared = (): PreparedTarget => ({ capabilities, countsReadBefore: capabilities.staleness === 'asOf' ? countsReadBefore : [] })
  if (!serverClock.needsCalibration) return prepared()
  // The offset the first answers are read with bounds the slack of the whole run: the best of a few calls.
  if (adminWatch.admin !== undefined) {
    adminWatch.usable = (await adminWatch.calibrate()) !== undefined
    if (!adminWatch.usable) faults.skipped.push('the target does not answer the admin API: faults, probes and lag samples are skipped')
    for (let call = 1; call < CALIBRATION_CALLS && adminWatch.usable; call++) await adminWatch.calibrate()
  }
  if (serverClock.widthWallMs > CALIBRATION_WIDTH_WALL_MS) await calibrateFromReads(context, { asOf: capabilities.staleness === 'asOf', countsReadBefore })
  return prepared()
}

/** POST the world's NDJSON to the target's provisioning path; a refusal stops the run (it would judge a world the target does not hold). */
async function provision({ setup, firstUrl }: PreparationContext, capabilities: Capabilities, path: string): Promise<Capabilities> {
  const url = `${firstUrl}${path}`
  let status: number
  let text: string
  try {
    const response = await request(url, {
      method: 'POST',
      headers: { 'content-type': WORLD_MEDIA_TYPE },
      body: Readable.from(worldLines(setup)),
      headersTimeout: PROVISIONING_TIMEOUT_MS,
      bodyTimeout: PROVISIONING_TIMEOUT_MS,
    })
    status = response.statusCode
    text = await response.body.text()
  } catch (error) {
    throw new UsageError('LS_PROVISIONING_FAILED', `the target's capabilities name a provisioning path, but POST ${url} failed: ${(error as Error).message}`)
  }
  if (status < 200 || status > 299) throw new UsageError('LS_PROVISIONING_FAILED', `the target's capabilities name a provisioning path, but POST ${url} answered ${status}${text === '' ? '' : `: ${text.slice(0, 200)}`}`)
  const { userCount, videoCount } = setup.population
  return { ...capabilities, world: 'loaded', notes: [...capabilities.notes, `provisioned: POST ${url} took the world (${userCount} users, ${videoCount} videos) and answered ${status}`] }
}

/**
 * Reads of one video in the first region, one every few ms, until what they say of the target's
 * clock pins the offset to CALIBRATION_WIDTH_WALL_MS, or for at most CALIBRATION_WINDOW_MS (a
 * second's turn in the Date header comes within it). Each fresh answer's asOfMs and each Date
 * header bound the offset (server-clock.ts). Stops at the first read without an answer, or one
 * that says nothing of the time.
 */
async function calibrateFromReads({ setup, client, clock, serverClock }: PreparationContext, { asOf, countsReadBefore }: { asOf: boolean; countsReadBefore: CountsReadBeforeRun[] }): Promise<void> {
  const region = setup.population.regionIds[0] as string
  const video = 0
  const path = videoPath(setup.population.videoIds.get(video) as string)
  const scenarioMs = (wallMs: number): number => (wallMs - clock.startWallMs) / clock.timeScale
  const startedWallMs = performance.now()
  for (let read = 0; read < CALIBRATION_READS_MAX && performance.now() - startedWallMs < CALIBRATION_WINDOW_MS; read++) {
    const answer = await client.send({ region, method: 'GET', path, body: undefined, headers: {} })
    if (answer.status === 0 || Number.isNaN(answer.sentAt)) return
    const [sent, answered] = [scenarioMs(answer.sentAt), scenarioMs(answer.doneAt)]
    const body = answer.body as { asOfMs?: unknown; stale?: unknown } | undefined
    const asOfMs = asOf && answer.status === 200 && body?.stale === false && typeof body.asOfMs === 'number' ? body.asOfMs : undefined
    const dateMs = dateHeaderServerMs(answer.date)
    if (asOfMs === undefined && dateMs === undefined) return
    if (asOfMs !== undefined) {
      serverClock.observe(sent, answered, asOfMs, 'asOf')
      countsReadBefore.push({ region, video, serverAsOfMs: asOfMs })
    }
    if (dateMs !== undefined) serverClock.observe(sent, answered, dateMs, 'date')
    if (serverClock.widthWallMs <= CALIBRATION_WIDTH_WALL_MS) return
    await new Promise((resolve) => setTimeout(resolve, CALIBRATION_READ_GAP_MS))
  }
}

/**
 * A target that reads as a fresh world's, or one made so by an admin reset, or (--allow-dirty-target)
 * one taken as it is; else the run stops with one line. The reset rebuilds the target's own world
 * (its seed, scenario and scale as it reports them), so it needs no scenario it might not know.
 */
async function freshTarget(context: PreparationContext, capabilities: Capabilities): Promise<{ state: TargetState; observed: FreshnessInspection['observed'] }> {
  const { setup, client, adminWatch, allowDirtyTarget } = context
  const inspect = (): Promise<FreshnessInspection> =>
    inspectFreshness({ client, region: setup.population.regionIds[0] as string, population: setup.population, worldLoaded: capabilities.world === 'loaded' })
  const found = await inspect()
  if (found.fresh) return { state: { fresh: true, action: 'none', detail: found.detail }, observed: found.observed }
  const admin = adminWatch.admin
  let resetFailure = 'the run has no admin token (--admin-token)'
  // The reads of the world the run meets: a reset replaces the one read before it.
  let observed = found.observed
  if (admin !== undefined) {
    const state = await admin.state()
    const reset = state.ok ? await admin.reset({ seed: state.value.world?.seed ?? setup.seed }) : state
    if (reset.ok) {
      const after = await inspect()
      observed = after.observed
      if (after.fresh) return { state: { fresh: true, action: 'reset', detail: `reset through POST /admin/v1/reset: ${found.detail}; after the reset ${after.detail}` }, observed }
      resetFailure = `POST /admin/v1/reset answered, yet ${after.detail}`
    } else resetFailure = `the admin reset failed (${reset.reason})`
  }
  if (allowDirtyTarget) return { state: { fresh: false, action: 'allowed-dirty', detail: `${found.detail}; ${resetFailure}; --allow-dirty-target: checks that leftover state would fool are not applicable` }, observed }
  throw new UsageError(
    'LS_DIRTY_TARGET',
    `the target is not fresh (${found.detail}) and ${resetFailure}: restart it, pass --admin-token to reset it, or --allow-dirty-target to judge only what this run can tell apart`,
  )
}
