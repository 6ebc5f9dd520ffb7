// Who and what the platform knows: accounts and videos, interned to dense indices so the hot
// paths key maps by numbers instead of strings.
import type { UserRecord, VideoRecord } from './types.ts'
import { StringIndex } from './string-index.ts'
import { grown } from './typed-arrays.ts'

/**
 * What nearly every request reads or writes about its user (the client block for rate limits,
 * the deleted flag, the last-activity time), side by side in one 16-byte record: with a few
 * hundred thousand users these records are far larger than a core's cache, and one request
 * should cost one trip to memory for them, not three. Two views of one buffer: the time as a
 * double (word 0 of the Float64Array view), block and flag as integers (words 2 and 3 of the
 * Int32Array view).
 */
const F64_PER_USER = 2
const I32_PER_USER = F64_PER_USER * 2
const AT_LAST_ACTIVE = 0
const AT_BLOCK = 2
const AT_DELETED = 3

export class Directory {
  readonly userIds: string[] = []
  // A user's handle, address and home region are not kept: nothing reads them, and with millions of
  // accounts they were two strings each (issue 20). The address lives on as its interned block.
  readonly userCreatedAtMs: number[] = []
  readonly userUploads: number[] = []
  readonly userFollowers: number[] = []
  readonly videoIds: string[] = []
  private readonly userIndex = new StringIndex(this.userIds)
  private readonly videoIndex = new StringIndex(this.videoIds)
  readonly videoCreator: number[] = []
  private userF64 = new Float64Array(1024 * F64_PER_USER)
  private userI32 = new Int32Array(this.userF64.buffer)
  /** 1 for a video taken down. */
  private takenDown = new Uint8Array(1024)
  /** Interned /24 blocks: dotted IPv4 addresses by their first three octets as one number, anything else by text; one id sequence. */
  private readonly ipv4BlockIds = new Map<number, number>()
  private readonly otherBlockIds = new Map<string, number>()

  addUser(record: UserRecord): number {
    const index = this.userIds.length
    const existing = this.userIndex.claim(record.userId, index)
    if (existing !== index) return existing
    this.userIds.push(record.userId)
    if (index * F64_PER_USER === this.userF64.length) this.growUsers()
    this.userCreatedAtMs.push(record.createdAtMs)
    this.userUploads.push(record.uploads)
    this.userFollowers.push(record.followers)
    this.userF64[index * F64_PER_USER + AT_LAST_ACTIVE] = record.lastActiveAtMs
    this.userI32[index * I32_PER_USER + AT_BLOCK] = this.internBlock(record.ip)
    this.userI32[index * I32_PER_USER + AT_DELETED] = 0
    return index
  }

  /** Room for this many users and videos in all without growing the id indexes (a hint; more still fit). */
  reserve({ users, videos }: { users: number; videos: number }): void {
    this.userIndex.reserve(users)
    this.videoIndex.reserve(videos)
  }

  /** Videos must name a known creator; returns -1 when the creator is unknown. */
  addVideo(record: VideoRecord): number {
    const existing = this.videoIndex.get(record.videoId)
    if (existing >= 0) return existing
    const creator = this.userIndex.get(record.creatorId)
    if (creator < 0) return -1
    const index = this.videoIds.length
    if (index === this.takenDown.length) this.takenDown = grown(this.takenDown, new Uint8Array(index * 2))
    this.videoIndex.claim(record.videoId, index)
    this.videoIds.push(record.videoId)
    this.videoCreator.push(creator)
    this.takenDown[index] = 0
    return index
  }

  /** The interned /24 block of the user's registered address. */
  ipBlockOf(user: number): number {
    return this.userI32[user * I32_PER_USER + AT_BLOCK] as number
  }

  /** Every user's block, by user (a copy, for detection). */
  ipBlocks(): number[] {
    return Array.from({ length: this.userCount }, (_, user) => this.ipBlockOf(user))
  }

  isDeleted(user: number): boolean {
    return this.userI32[user * I32_PER_USER + AT_DELETED] === 1
  }

  markDeleted(user: number): void {
    this.userI32[user * I32_PER_USER + AT_DELETED] = 1
  }

  lastActiveAtMs(user: number): number {
    return this.userF64[user * F64_PER_USER + AT_LAST_ACTIVE] as number
  }

  /** The user did something now (inactive purges look at this). */
  touch(user: number, nowMs: number): void {
    this.userF64[user * F64_PER_USER + AT_LAST_ACTIVE] = nowMs
  }

  isTakenDown(video: number): boolean {
    return this.takenDown[video] === 1
  }

  setTakenDown(video: number, takenDown: boolean): void {
    this.takenDown[video] = takenDown ? 1 : 0
  }

  /** The videos taken down now, in index order. */
  takenDownVideos(): number[] {
    const videos: number[] = []
    for (let video = 0; video < this.videoCount; video++) if (this.takenDown[video] === 1) videos.push(video)
    return videos
  }

  user(userId: string): number {
    return this.userIndex.get(userId)
  }

  video(videoId: string): number {
    return this.videoIndex.get(videoId)
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

  private growUsers(): void {
    this.userF64 = grown(this.userF64, new Float64Array(this.userF64.length * 2))
    this.userI32 = new Int32Array(this.userF64.buffer)
  }

  /** Blocks interned so far (the next block's id). */
  private get blockCount(): number {
    return this.ipv4BlockIds.size + this.otherBlockIds.size
  }

  /** The block is the address up to its last dot; ids are handed out in order of first sight. */
  private internBlock(ip: string): number {
    // A number instead of a sliced string for the common case: no string to build and hash per user.
    const key = ipv4BlockKey(ip)
    if (key >= 0) {
      let id = this.ipv4BlockIds.get(key)
      if (id === undefined) {
        id = this.blockCount
        this.ipv4BlockIds.set(key, id)
      }
      return id
    }
    const block = ip.slice(0, ip.lastIndexOf('.'))
    let id = this.otherBlockIds.get(block)
    if (id === undefined) {
      id = this.blockCount
      this.otherBlockIds.set(block, id)
    }
    return id
  }
}

/**
 * a * 2^16 + b * 2^8 + c for an address "a.b.c.x" whose first three parts are octets written the
 * canonical way (0-255, no leading zero) and whose last part has no dot; -1 for anything else.
 * Exactly those addresses have a block "a.b.c" that such a number names, so numbered and textual
 * blocks never meet.
 */
export function ipv4BlockKey(ip: string): number {
  let key = 0
  let octet = 0
  let digits = 0
  let dots = 0
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i)
    if (c === 46) {
      if (dots === 3 || digits === 0) return -1
      key = key * 256 + octet
      dots++
      octet = 0
      digits = 0
      continue
    }
    if (dots === 3) continue
    if (c < 48 || c > 57 || (digits === 1 && octet === 0)) return -1
    octet = octet * 10 + (c - 48)
    digits++
    if (octet > 255) return -1
  }
  return dots === 3 ? key : -1
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
