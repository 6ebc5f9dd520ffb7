// A run's world as NDJSON, for a target that is to know it: what the mock server's directory holds
// (every account with the facts a platform would know of it, every video and its creator) and the
// likes the world had before the run (seeded). `likestorm world export` writes it to a file; the
// HTTP driver POSTs it to a target whose capabilities name a provisioning path. One JSON object a
// line, its `type` first: a header (`world`), then `user`, `video` and `like` lines. docs/targets.md
// documents the format.
import { directoryFor, importedLikesFor, type RunSetup } from './run-setup.ts'

export const WORLD_FORMAT = 'likestorm-world'
export const WORLD_FORMAT_VERSION = 1
/** The ids a world uses, and every id a target must accept: 1 to 128 of these characters. */
export const ID_PATTERN = '^[A-Za-z0-9_.-]{1,128}$'
/** The media type of the export, as the provisioning request sends it. */
export const WORLD_MEDIA_TYPE = 'application/x-ndjson'

export interface WorldHeader {
  readonly type: 'world'
  readonly format: typeof WORLD_FORMAT
  readonly version: typeof WORLD_FORMAT_VERSION
  readonly scenario: string
  readonly seed: number
  readonly scale: number
  readonly regions: readonly string[]
  readonly users: number
  readonly videos: number
  readonly likes: number
  readonly idPattern: string
}

/** The world's header: what it is and how many lines of each kind follow. */
export function worldHeader(setup: RunSetup): WorldHeader {
  const { population } = setup
  return {
    type: 'world',
    format: WORLD_FORMAT,
    version: WORLD_FORMAT_VERSION,
    scenario: setup.scenario.name,
    seed: setup.seed,
    scale: setup.scale,
    regions: population.regionIds,
    users: population.userCount,
    videos: population.videoCount,
    likes: population.importedLikes.length,
    idPattern: ID_PATTERN,
  }
}

/** The export, a line at a time (each ends in a newline), in a fixed order: the same world gives the same bytes. */
export function* worldLines(setup: RunSetup): Generator<string> {
  yield `${JSON.stringify(worldHeader(setup))}\n`
  const directory = directoryFor(setup.population, { handles: true })
  for (const user of directory.users) yield `${JSON.stringify({ type: 'user', ...user })}\n`
  for (const video of directory.videos) yield `${JSON.stringify({ type: 'video', ...video })}\n`
  for (const like of importedLikesFor(setup.population)) yield `${JSON.stringify({ type: 'like', ...like })}\n`
}
