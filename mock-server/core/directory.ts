// Who and what the platform knows: accounts and videos, interned to dense indices so the hot
// paths key maps by numbers instead of strings.
import type { UserRecord, VideoRecord } from './types.ts'

export class Directory {
  private readonly userIndex = new Map<string, number>()
  private readonly videoIndex = new Map<string, number>()
  readonly userIds: string[] = []
  readonly userIp: string[] = []
  /** /24 block of the user's address, interned. */
  readonly userIpBlock: number[] = []
  readonly userHomeRegion: string[] = []
  readonly userCreatedAtMs: number[] = []
  readonly userLastActiveAtMs: number[] = []
  readonly userUploads: number[] = []
  readonly userFollowers: number[] = []
  readonly userDeleted: boolean[] = []
  readonly userHandle: string[] = []
  readonly videoIds: string[] = []
  readonly videoCreator: number[] = []
  readonly videoTakenDown: boolean[] = []
  private readonly ipBlocks = new Map<string, number>()

  addUser(record: UserRecord): number {
    const existing = this.userIndex.get(record.userId)
    if (existing !== undefined) return existing
    const index = this.userIds.length
    this.userIndex.set(record.userId, index)
    this.userIds.push(record.userId)
    this.userHandle.push(record.handle)
    this.userIp.push(record.ip)
    this.userIpBlock.push(this.internBlock(record.ip))
    this.userHomeRegion.push(record.homeRegion)
    this.userCreatedAtMs.push(record.createdAtMs)
    this.userLastActiveAtMs.push(record.lastActiveAtMs)
    this.userUploads.push(record.uploads)
    this.userFollowers.push(record.followers)
    this.userDeleted.push(false)
    return index
  }

  /** Videos must name a known creator; returns -1 when the creator is unknown. */
  addVideo(record: VideoRecord): number {
    const existing = this.videoIndex.get(record.videoId)
    if (existing !== undefined) return existing
    const creator = this.userIndex.get(record.creatorId)
    if (creator === undefined) return -1
    const index = this.videoIds.length
    this.videoIndex.set(record.videoId, index)
    this.videoIds.push(record.videoId)
    this.videoCreator.push(creator)
    this.videoTakenDown.push(false)
    return index
  }

  user(userId: string): number {
    return this.userIndex.get(userId) ?? -1
  }

  video(videoId: string): number {
    return this.videoIndex.get(videoId) ?? -1
  }

  get userCount(): number {
    return this.userIds.length
  }

  get videoCount(): number {
    return this.videoIds.length
  }

  /** The interned /24 block of an address (new blocks are added). */
  blockOf(ip: string): number {
    return this.internBlock(ip)
  }

  private internBlock(ip: string): number {
    const block = ip.slice(0, ip.lastIndexOf('.'))
    let id = this.ipBlocks.get(block)
    if (id === undefined) {
      id = this.ipBlocks.size
      this.ipBlocks.set(block, id)
    }
    return id
  }
}

/** Key of a (user, video) pair as one number; users < 2^22 so the product stays an exact double. */
export const USER_INDEX_LIMIT = 1 << 22

export function pairKey(videoIndex: number, userIndex: number): number {
  return videoIndex * USER_INDEX_LIMIT + userIndex
}

export function pairVideo(key: number): number {
  return Math.floor(key / USER_INDEX_LIMIT)
}

export function pairUser(key: number): number {
  return key % USER_INDEX_LIMIT
}
