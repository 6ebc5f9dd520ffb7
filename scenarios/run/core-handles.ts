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
    this.users = handlesOf(population.userIds, directory.userIds, (id) => directory.user(id))
    this.videos = handlesOf(population.videoIds, directory.videoIds, (id) => directory.video(id))
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

function handlesOf(worldIds: PackedStrings, loadedIds: readonly string[], lookup: (id: string) => number): Int32Array | null {
  const handles = new Int32Array(worldIds.length)
  let identity = worldIds.length === loadedIds.length
  for (let index = 0; index < worldIds.length; index++) {
    const loaded = loadedIds[index]
    const handle = loaded !== undefined && worldIds.equals(index, loaded) ? index : lookup(worldIds.get(index) as string)
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
