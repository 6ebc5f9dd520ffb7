// World indices and the engagement core's handles for the same users and videos. The sim loads
// the core's directory in world order, so handle i is nearly always world index i: both directions
// are then the identity, and an in-process loop spares a lookup per call (with hundreds of
// thousands of users, a cache miss each). Checked once, by comparing the ids.
import type { EngagementCore } from '../../mock-server/core/engagement-core.ts'
import type { PackedStrings } from '../../sim/packed-strings.ts'
import type { Population } from '../../sim/population.ts'

export class CoreHandles {
  /** Handle of each world user / video; null when it is the world index itself. */
  readonly users: Int32Array | null
  readonly videos: Int32Array | null
  /** World index of each handle; null when it is the handle itself. */
  private readonly worldUsers: Int32Array | null
  private readonly worldVideos: Int32Array | null

  constructor(population: Population, core: EngagementCore) {
    const directory = core.directory
    this.users = handlesOf(population.userIds, { count: directory.userCount, idIs: (handle, id) => directory.userIdIs(handle, id), lookup: (id) => directory.user(id) })
    this.videos = handlesOf(population.videoIds, { count: directory.videoCount, idIs: (handle, id) => directory.videoIdIs(handle, id), lookup: (id) => directory.video(id) })
    this.worldUsers = reverse(this.users, directory.userCount)
    this.worldVideos = reverse(this.videos, directory.videoCount)
  }

  user(world: number): number {
    return this.users === null ? world : (this.users[world] as number)
  }

  video(world: number): number {
    return this.videos === null ? world : (this.videos[world] as number)
  }

  /** World index of a user handle, -1 for an account the world does not know. */
  worldUser(handle: number): number {
    return this.worldUsers === null ? handle : (this.worldUsers[handle] ?? -1)
  }

  worldVideo(handle: number): number {
    return this.worldVideos === null ? handle : (this.worldVideos[handle] ?? -1)
  }
}

/** How the core knows one kind of id: how many it has, whether a handle has an id, and the handle of an id (-1: none). */
interface LoadedIds {
  readonly count: number
  idIs(handle: number, id: string): boolean
  lookup(id: string): number
}

function handlesOf(worldIds: PackedStrings, loaded: LoadedIds): Int32Array | null {
  const handles = new Int32Array(worldIds.length)
  let identity = worldIds.length === loaded.count
  for (let index = 0; index < worldIds.length; index++) {
    const id = worldIds.get(index) as string
    const handle = loaded.idIs(index, id) ? index : loaded.lookup(id)
    handles[index] = handle
    if (handle !== index) identity = false
  }
  return identity ? null : handles
}

function reverse(handles: Int32Array | null, loaded: number): Int32Array | null {
  if (handles === null) return null
  const world = new Int32Array(loaded).fill(-1)
  handles.forEach((handle, index) => {
    if (handle >= 0) world[handle] = index
  })
  return world
}
