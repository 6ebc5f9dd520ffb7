// The seeded operation stream as k6 runs it: the world's sessions (a read, a view, maybe a like
// and what follows it; or one farm or flood request), each with its operations' offsets from the
// session's start, sorted by start time and dealt to the k6 scenarios that run them; plus what
// the final phase reads. Pure: the same setup gives the same workload, byte for byte once
// serialized (JSON.stringify of plain arrays).
//
// The stream is generated without the scenario's overload faults: k6 generates only the load its
// executors describe, so the surge of an overload is emulated on the server instead (the export's
// fault scenario switches it through the admin API: capacity ÷ factor). Floods (ddos) and farms
// are sessions like any other.
import type { Options, RampingArrivalRateScenario } from 'k6/options'
import { keyOperation, OpKind, type Operation } from '../../sim/operation.ts'
import { TrafficGenerator } from '../../sim/traffic.ts'
import type { RunSetup } from '../run/run-setup.ts'
import { k6Error } from './errors.ts'
import { dealSessions, EXTRA_SCENARIO, vuBudget } from './session-deal.ts'
import { FinalTaskKind, OP_FIELDS, WORKLOAD_FORMAT, type FinalTask, type SessionRow, type WorkloadFile } from './workload-format.ts'

export * from './workload-format.ts'

export interface WorkloadStats {
  readonly sessions: number
  readonly operations: number
  /** Sessions per k6 scenario. */
  readonly perScenario: Readonly<Record<string, number>>
  readonly finalReads: number
}

export const DEFAULT_MAX_OPERATIONS = 5_000_000
/** Reads per final-phase task (one k6 iteration of the final scenario). */
export const FINAL_CHUNK = { videos: 50, likers: 25, creators: 50 } as const

interface SessionDraft {
  readonly streamSession: number
  readonly startMs: number
  readonly user: number
  readonly video: number
  readonly ops: number[]
}

/**
 * The workload of a run: `load` is the k6 options the export runs (already scaled), whose
 * scenarios the sessions are dealt to; `extra` is the k6 scenario that runs the sessions they
 * cannot take on time (see session-deal.ts).
 */
export function buildWorkload(
  setup: RunSetup,
  load: Options,
  { maxOperations = DEFAULT_MAX_OPERATIONS }: { maxOperations?: number } = {},
): { workload: WorkloadFile; stats: WorkloadStats; extra: RampingArrivalRateScenario | undefined; vus: Record<string, number> } {
  const { population, scenario } = setup
  const faults = scenario.faults.filter((fault) => fault.kind !== 'overload')
  const traffic = new TrafficGenerator({ spec: setup.world, population, faults, rate: setup.rate, durationS: scenario.durationS, rng: setup.rng })
  const drafts = new Map<number, SessionDraft>()
  const likeUsers = new Set<number>()
  const likeVideos = new Set<number>()
  let operations = 0
  for (let op = traffic.next(); op !== undefined; op = traffic.next()) {
    if (++operations > maxOperations) {
      throw k6Error('LS_K6_WORKLOAD_TOO_LARGE', `${scenario.name} at scale ${setup.scale} has more than ${maxOperations.toLocaleString('en-US')} operations; export it with a smaller --scale`)
    }
    addOperation(drafts, op)
    if (op.kind === OpKind.Like) {
      likeUsers.add(op.user)
      likeVideos.add(op.video)
    }
  }
  const ordered = [...drafts.values()].sort((a, b) => a.startMs - b.startMs || a.streamSession - b.streamSession)
  const spans = ordered.map((draft) => ({ startMs: draft.startMs, endMs: draft.startMs + (draft.ops[draft.ops.length - OP_FIELDS] ?? 0) }))
  const deal = dealSessions(load, spans)
  const scenarioNames = [...Object.keys(load.scenarios ?? {}), ...(deal.extra === undefined ? [] : [EXTRA_SCENARIO])]
  const sessions: Record<string, Array<SessionRow | null>> = {}
  for (const name of scenarioNames) sessions[name] = []
  ordered.forEach((draft, sid) => {
    const row: SessionRow = [sid, draft.startMs, population.userIds.get(draft.user) as string, population.videoIds.get(draft.video) as string, population.userRegion[draft.user] as number, ...draft.ops]
    const list = sessions[deal.scenarioOf[sid] as string] as Array<SessionRow | null>
    // The iterations skipped before this one are holes.
    const iteration = deal.iterationOf[sid] as number
    while (list.length < iteration) list.push(null)
    list.push(row)
  })
  for (const like of population.importedLikes) likeUsers.add(like.user)
  const likers = [...likeUsers].sort((a, b) => a - b).map((user) => population.userIds.get(user) as string)
  const creators = [...new Set([...likeVideos].map((video) => population.videoCreator[video] as number))].sort((a, b) => a - b).map((user) => population.userIds.get(user) as string)
  const regionCount = population.regionIds.length
  const tasks = finalTasks({ videos: population.videoCount, likers: likers.length, creators: creators.length, regions: regionCount })
  const workload: WorkloadFile = {
    format: WORKLOAD_FORMAT,
    scenario: scenario.name,
    seed: setup.seed,
    scale: setup.scale,
    regions: population.regionIds,
    sessions,
    final: { videos: [...population.videoIds], likers, creators, tasks },
  }
  const perScenario: Record<string, number> = {}
  for (const name of scenarioNames) perScenario[name] = (sessions[name] as Array<SessionRow | null>).filter((row) => row !== null).length
  return {
    workload,
    extra: deal.extra,
    // A session's last answer may take up to the client's timeout after its last offset.
    vus: vuBudget(load, deal, spans, setup.client.timeoutMs),
    stats: { sessions: ordered.length, operations, perScenario, finalReads: (population.videoCount + likers.length) * regionCount + creators.length },
  }
}

/** Append an operation to its session; a session's user and video never change (the world's sessions are one user on one video). */
function addOperation(drafts: Map<number, SessionDraft>, op: Operation): void {
  let draft = drafts.get(op.session)
  const startMs = Math.round(op.atMs)
  if (draft === undefined) {
    draft = { streamSession: op.session, startMs, user: op.user, video: op.video, ops: [] }
    drafts.set(op.session, draft)
  } else if (draft.user !== op.user || draft.video !== op.video) {
    throw new Error(`workload: session ${op.session} mixes users or videos; the k6 mapping assumes one user and one video per session`)
  }
  // The stream is in time order, so offsets never go backwards.
  draft.ops.push(startMs - draft.startMs, op.kind, op.device, op.watchMs, op.route, keyOperation(op).id, op.id)
}

/** The final phase, cut into tasks of a few reads each: videos per region, likers per region, creators. */
export function finalTasks({ videos, likers, creators, regions }: { videos: number; likers: number; creators: number; regions: number }): FinalTask[] {
  const tasks: FinalTask[] = []
  const slices = (kind: FinalTaskKind, region: number, count: number, chunk: number): void => {
    for (let from = 0; from < count; from += chunk) tasks.push([kind, region, from, Math.min(count, from + chunk)])
  }
  for (let region = 0; region < regions; region++) slices(FinalTaskKind.Videos, region, videos, FINAL_CHUNK.videos)
  for (let region = 0; region < regions; region++) slices(FinalTaskKind.Likes, region, likers, FINAL_CHUNK.likers)
  slices(FinalTaskKind.Inbox, 0, creators, FINAL_CHUNK.creators)
  return tasks
}
