// What a --target offers the run, settled before the clock starts: its capabilities document
// (GET /.well-known/likestorm.json, or the file given with --target-profile), else what a few
// cheap reads show, with the minimum assumed for the rest and said so. The region URLs come from
// --target, or from the document's regions when --target named only the first URL. A check that
// needs what the target lacks is not applicable (sim/checks/applicability.ts), never failed.
import { readFileSync } from 'node:fs'
import { request } from 'undici'
import { CAPABILITIES_PATH, capabilityProblems, NOTIFICATIONS_KEPT_DEFAULT, type TargetCapabilities } from '../../../mock-server/http/capabilities.ts'
import { UsageError } from '../../errors.ts'
import { likesPagePath, videoPath } from '../../protocol/request-shape.ts'
import { parseTarget, type Target } from './target.ts'

export type CapabilitySource = 'embedded' | 'document' | 'profile' | 'probed'

/** What the run takes the target to support (result.json's config.http.capabilities shows it). */
export interface Capabilities {
  readonly source: CapabilitySource
  readonly service?: string
  readonly likedLists: boolean
  readonly notifications: boolean
  /** The newest notifications it keeps per user. */
  readonly notificationsMax: number
  readonly world: 'none' | 'loaded'
  readonly staleness: 'none' | 'asOf'
  readonly admin: 'none' | 'likestorm'
  readonly provisioningPath?: string
  /** What was assumed or probed, one line each. */
  readonly notes: readonly string[]
  /** Whether the target was found fresh before the traffic, and what the run did about it (absent for the embedded server). */
  readonly state?: TargetState
}

/** A target's state before the traffic (target-freshness.ts): fresh, reset to fresh, or taken dirty by --allow-dirty-target. */
export interface TargetState {
  readonly fresh: boolean
  readonly action: 'none' | 'reset' | 'allowed-dirty'
  readonly detail: string
}

/** The mock server started by the run: everything, on the scenario's clock. */
export const EMBEDDED_CAPABILITIES: Capabilities = {
  source: 'embedded',
  service: 'likestorm mock server (embedded)',
  likedLists: true,
  notifications: true,
  notificationsMax: NOTIFICATIONS_KEPT_DEFAULT,
  world: 'loaded',
  staleness: 'asOf',
  admin: 'likestorm',
  notes: [],
}

/** A probe or the document's fetch may take this long (wall ms) before the target counts as silent. */
const PROBE_TIMEOUT_MS = 5000
/** A capabilities document is small; a bigger answer is not one. */
const DOCUMENT_BYTES_MAX = 64 * 1024

export interface ResolveTargetOptions {
  /** --target: the first region's URL, or region=URL,… */
  readonly text: string
  /** --target-profile: a capabilities document in a file, used instead of the target's own. */
  readonly profilePath?: string
  /** The scenario's regions. */
  readonly regions: readonly string[]
  readonly allowRemote: boolean
  /** A capabilities document an --adapter declares (its service speaks no /v1, so serves none at /.well-known). */
  readonly adapterDocument?: { readonly document: unknown; readonly where: string }
  /** A user and a video of the world, for the probing reads (reads change nothing). */
  readonly probeIds: { readonly userId: string; readonly videoId: string }
}

export async function resolveTarget(options: ResolveTargetOptions): Promise<{ target: Target; capabilities: Capabilities }> {
  const { text, regions, allowRemote } = options
  const given = parseTarget(text, { regions, allowRemote })
  const first = given.urls[regions[0] as string] as string
  const notes: string[] = []
  const adapted = options.adapterDocument
  if (adapted !== undefined) notes.push(`capabilities declared by ${adapted.where}`)
  const declared =
    options.profilePath !== undefined ? readTargetProfile(options.profilePath) : adapted !== undefined ? validDocument(adapted.document, adapted.where) : await fetchDocument(first, notes)
  const source: CapabilitySource = options.profilePath !== undefined ? 'profile' : declared !== undefined ? 'document' : 'probed'
  let target = given
  if (declared?.regions !== undefined && !given.named) target = regionsOfDocument(declared.regions, { regions, allowRemote, where: source === 'profile' ? `--target-profile ${options.profilePath}` : `${first}${CAPABILITIES_PATH}` })
  // An adapter's service names no URLs of its own: its regions are found as a document-less target's are.
  if (adapted !== undefined && declared?.regions === undefined && !given.named) target = await probeRegions(given, { regions, allowRemote, probeIds: options.probeIds, notes })
  if (declared !== undefined) return { target, capabilities: fromDocument(declared, source, notes) }
  if (!given.named) target = await probeRegions(given, { regions, allowRemote, probeIds: options.probeIds, notes })
  return { target, capabilities: await probeCapabilities(target.urls[regions[0] as string] as string, options.probeIds, notes) }
}

/** --target-profile FILE: a capabilities document, checked whole. */
export function readTargetProfile(path: string): TargetCapabilities {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new UsageError('LS_BAD_TARGET_PROFILE', `--target-profile ${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
  return validDocument(parseJson(text, `--target-profile ${path}`), `--target-profile ${path}`)
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new UsageError('LS_BAD_TARGET_PROFILE', `${where} is not JSON (${(error as Error).message})`)
  }
}

function validDocument(value: unknown, where: string): TargetCapabilities {
  const problems = capabilityProblems(value)
  if (problems.length > 0) throw new UsageError('LS_BAD_TARGET_PROFILE', `${where} is not a valid capabilities document (docs/targets.md)`, problems)
  return value as TargetCapabilities
}

/** The target's own document; undefined (with a note) when it serves none. A document that is there but wrong stops the run. */
async function fetchDocument(origin: string, notes: string[]): Promise<TargetCapabilities | undefined> {
  const url = `${origin}${CAPABILITIES_PATH}`
  const answer = await get(url)
  if (answer.status === 200) {
    if (answer.text === undefined) throw new UsageError('LS_BAD_TARGET_PROFILE', `${url} is larger than ${DOCUMENT_BYTES_MAX / 1024} KiB: not a capabilities document (docs/targets.md)`)
    return validDocument(parseJson(answer.text, url), url)
  }
  notes.push(`no capabilities document at ${url} (${answer.status === 0 ? answer.text : `answered ${answer.status}`}): probed what a few reads show, assumed the minimum for the rest`)
  return undefined
}

function fromDocument(document: TargetCapabilities, source: CapabilitySource, notes: string[]): Capabilities {
  return {
    source,
    ...(document.service === undefined ? {} : { service: document.service }),
    likedLists: document.likedLists ?? false,
    notifications: document.notifications ?? false,
    notificationsMax: document.notificationsMax ?? NOTIFICATIONS_KEPT_DEFAULT,
    world: document.world ?? 'none',
    staleness: document.staleness ?? 'none',
    admin: document.admin ?? 'none',
    ...(document.provisioning === undefined ? {} : { provisioningPath: document.provisioning.path }),
    notes,
  }
}

/** The URLs of the document's regions: every region of the scenario by name, or a single one for all of them. */
function regionsOfDocument(declared: Readonly<Record<string, string | null>>, { regions, allowRemote, where }: { regions: readonly string[]; allowRemote: boolean; where: string }): Target {
  const listening = Object.entries(declared).filter((entry): entry is [string, string] => entry[1] !== null)
  const missing = regions.filter((region) => typeof declared[region] !== 'string')
  if (missing.length === 0) return parseTarget(regions.map((region) => `${region}=${declared[region]}`).join(','), { regions, allowRemote })
  const [only] = listening
  if (listening.length === 1 && only !== undefined) return parseTarget(regions.map((region) => `${region}=${only[1]}`).join(','), { regions, allowRemote })
  throw new UsageError(
    'LS_BAD_TARGET_PROFILE',
    `${where} names no listening URL for ${missing.join(', ')} of this scenario's regions (${regions.join(', ')}): declare each of them, or a single region (one front door for all), or name each region's URL with --target region=URL,…`,
  )
}

/**
 * Without a document, the first URL's form puts the other regions on the next ports. When none of
 * those answers and the first does, the target is one region (the minimum); when some answer and
 * some do not, which is which cannot be guessed.
 */
async function probeRegions(given: Target, { regions, allowRemote, probeIds, notes }: { regions: readonly string[]; allowRemote: boolean; probeIds: ResolveTargetOptions['probeIds']; notes: string[] }): Promise<Target> {
  const answers = await Promise.all(regions.map((region) => get(`${given.urls[region]}${videoPath(probeIds.videoId)}`)))
  const silent = regions.filter((_, i) => (answers[i] as ProbeAnswer).status === 0)
  if (silent.length === 0 || silent.length === regions.length) return given
  const first = given.urls[regions[0] as string] as string
  if ((answers[0] as ProbeAnswer).status !== 0 && silent.length === regions.length - 1) {
    notes.push(`nothing answers on the ports after ${first}: taken as one region, every region's traffic sent to ${first}`)
    return parseTarget(regions.map((region) => `${region}=${first}`).join(','), { regions, allowRemote })
  }
  throw new UsageError(
    'LS_BAD_FLAG',
    `--target ${first}: ${silent.map((region) => `${region} (${given.urls[region]})`).join(', ')} did not answer while the others did; name each region's URL (--target ${regions.map((region) => `${region}=URL`).join(',')}) or serve a capabilities document (docs/targets.md)`,
  )
}

/** Without a document: a video read says whether answers carry asOfMs, a liked-list read whether lists are served. */
async function probeCapabilities(origin: string, probeIds: ResolveTargetOptions['probeIds'], notes: string[]): Promise<Capabilities> {
  const [video, list] = await Promise.all([get(`${origin}${videoPath(probeIds.videoId)}`), get(`${origin}${likesPagePath(probeIds.userId, undefined)}`)])
  const body = (answer: ProbeAnswer): Record<string, unknown> | undefined => {
    if (answer.status !== 200 || answer.text === undefined) return undefined
    try {
      const value = JSON.parse(answer.text) as unknown
      return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined
    } catch {
      return undefined
    }
  }
  const read = body(video)
  const staleness = typeof read?.['asOfMs'] === 'number' && typeof read['stale'] === 'boolean' ? 'asOf' : 'none'
  const likedLists = Array.isArray(body(list)?.['videoIds'])
  notes.push(
    `probed: a video read ${video.status === 0 ? `got no answer (${video.text})` : `answered ${video.status}`}${staleness === 'asOf' ? ' with asOfMs and stale' : ' without asOfMs and stale'}; ` +
      `a liked-list read ${list.status === 0 ? 'got no answer' : `answered ${list.status}`}${likedLists ? ' with a list' : ''}; ` +
      'notifications not judged (who created which video is known only to a target that declares world "loaded")',
  )
  return { source: 'probed', likedLists, notifications: false, notificationsMax: NOTIFICATIONS_KEPT_DEFAULT, world: 'none', staleness, admin: 'none', notes }
}

interface ProbeAnswer {
  /** 0: no answer (then `text` says why). */
  readonly status: number
  readonly text: string | undefined
}

/** One GET, bounded in time and size; never throws. */
async function get(url: string): Promise<ProbeAnswer> {
  try {
    const response = await request(url, { method: 'GET', headersTimeout: PROBE_TIMEOUT_MS, bodyTimeout: PROBE_TIMEOUT_MS, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })
    const text = await response.body.text()
    return { status: response.statusCode, text: text.length > DOCUMENT_BYTES_MAX ? undefined : text }
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code ?? (error as Error).name
    return { status: 0, text: cause === 'ECONNREFUSED' ? 'connection refused' : cause === 'TimeoutError' || cause === 'UND_ERR_HEADERS_TIMEOUT' ? `no answer within ${PROBE_TIMEOUT_MS / 1000} s` : String(cause) }
  }
}
