// Whether a --target holds the run's world as a fresh one would: before the traffic, a sample of
// the world's videos is read through /v1 and each count compared with what a fresh target shows
// (the world's seeded likes when it holds the world, nothing otherwise; no views either way). A
// target left with an earlier run's likes fails no-lost-likes, no-double-count and the counts'
// bounds on likes this run never sent: it is reset through the admin API when the run has a token,
// else the run stops (exit 2, LS_DIRTY_TARGET) unless --allow-dirty-target says to judge only what
// the run can tell apart (sim/checks/applicability.ts). Reads change no count; a system may
// remember what they showed as its last known good, so the fresh answers go into the history.
import type { Population } from '../../../sim/population.ts'
import { videoPath } from '../../protocol/request-shape.ts'
import type { HttpClient } from './http-client.ts'

/** Videos read: the most popular ones (where leftover likes gather) and as many spread over the rest. */
const POPULAR_SAMPLE = 16
const SPREAD_SAMPLE = 16
/** Differences named in the line that reports them. */
const NAMED_MAX = 3

export interface FreshnessReport {
  readonly fresh: boolean
  /** Videos read, and of those the ones that answered with counts. */
  readonly sampled: number
  readonly answered: number
  /** One line: what differs from a fresh world (or that nothing does). */
  readonly detail: string
}

/** The videos read: the top of the popularity ranking, then evenly spread indexes; each once. */
export function freshnessSample(population: Population): number[] {
  const chosen = new Set<number>()
  for (let rank = 0; rank < Math.min(POPULAR_SAMPLE, population.videoCount); rank++) chosen.add(population.rankToVideo[rank] as number)
  const step = Math.max(1, Math.floor(population.videoCount / SPREAD_SAMPLE))
  for (let video = 0; video < population.videoCount && chosen.size < POPULAR_SAMPLE + SPREAD_SAMPLE; video += step) chosen.add(video)
  return [...chosen]
}

/** What a fresh target shows for each video: its seeded likes when it holds the world, else none. */
export function freshLikeCounts(population: Population, worldLoaded: boolean): Int32Array {
  const counts = new Int32Array(population.videoCount)
  if (worldLoaded) for (const like of population.importedLikes) counts[like.video] = (counts[like.video] as number) + 1
  return counts
}

export interface ObservedCounts {
  readonly video: number
  /** Undefined when the read got no counts (an error, or a target that takes ids on first use and answers 404). */
  readonly likeCount: number | undefined
  readonly viewCount: number | undefined
  /** The target's time (its clock) of the state a fresh answer showed, when it said so; such a read is a target's last known good (History.countsReadBefore). */
  readonly asOfMs?: number
}

/** The verdict and the reads it came from. */
export interface FreshnessInspection extends FreshnessReport {
  readonly observed: readonly ObservedCounts[]
}

/** Pure: the observed counts against a fresh world's. */
export function judgeFreshness(population: Population, expected: Int32Array, observed: readonly ObservedCounts[]): FreshnessReport {
  const differing: string[] = []
  let answered = 0
  for (const { video, likeCount, viewCount } of observed) {
    if (likeCount === undefined) continue
    answered++
    const likesFresh = expected[video] as number
    const viewsLeft = viewCount !== undefined && viewCount > 0
    if (likeCount === likesFresh && !viewsLeft) continue
    differing.push(`${population.videoIds.get(video)} has ${likeCount} like(s)${viewsLeft ? ` and ${viewCount} view(s)` : ''} (fresh: ${likesFresh}${viewsLeft ? ' and 0' : ''})`)
  }
  const sampled = observed.length
  if (differing.length === 0) return { fresh: true, sampled, answered, detail: `${answered} of ${sampled} sampled videos read as a fresh world's` }
  const named = differing.slice(0, NAMED_MAX).join('; ') + (differing.length > NAMED_MAX ? `; and ${differing.length - NAMED_MAX} more` : '')
  return { fresh: false, sampled, answered, detail: `${differing.length} of ${sampled} sampled videos differ from a fresh world: ${named}` }
}

/** Reads of the sample in flight at once. */
const READS_AT_ONCE = 8

/**
 * Read the sample through /v1 in the first region, a few at a time. A read that got no answer at
 * all (a timeout, a refused or reset connection) ends the inspection: a target that does not
 * answer is not asked again and again before the traffic, and what it holds stays unknown (the
 * report says how many reads answered; the run's own checks then judge a target that answers
 * nothing).
 */
export async function inspectFreshness({ client, region, population, worldLoaded }: { client: Pick<HttpClient, 'send'>; region: string; population: Population; worldLoaded: boolean }): Promise<FreshnessInspection> {
  const sample = freshnessSample(population)
  const observed: ObservedCounts[] = []
  let next = 0
  let silent = false
  const reader = async (): Promise<void> => {
    while (next < sample.length && !silent) {
      const video = sample[next++] as number
      const answer = await client.send({ region, method: 'GET', path: videoPath(population.videoIds.get(video) as string), body: undefined, headers: {} })
      if (answer.status === 0) silent = true
      const body = answer.status === 200 ? (answer.body as { likeCount?: unknown; viewCount?: unknown; stale?: unknown; asOfMs?: unknown } | undefined) : undefined
      observed.push({
        video,
        likeCount: typeof body?.likeCount === 'number' ? body.likeCount : undefined,
        viewCount: typeof body?.viewCount === 'number' ? body.viewCount : undefined,
        ...(body?.stale === false && typeof body.asOfMs === 'number' && Number.isFinite(body.asOfMs) ? { asOfMs: body.asOfMs } : {}),
      })
    }
  }
  await Promise.all(Array.from({ length: READS_AT_ONCE }, reader))
  // In the sample's order, whichever read answered first: the report names the same videos every time.
  observed.sort((a, b) => sample.indexOf(a.video) - sample.indexOf(b.video))
  return { ...judgeFreshness(population, freshLikeCounts(population, worldLoaded), observed), observed }
}
