// Who and what the platform knows: accounts and videos, interned to dense indices so the hot
// paths key maps by numbers instead of strings.
import type { UserRecord, VideoRecord } from './types.ts'
import { PackedIds } from './packed-ids.ts'
import { StringIndex } from './string-index.ts'
import { IpBlocks } from './ip-blocks.ts'
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
  // A user's handle, address and home region are not kept: nothing reads them, and with millions of
  // accounts they were two strings each (issue 20). The address lives on as its interned block.
  // Ids are packed and the facts are typed columns (issue 20: a string and an 8-byte slot per id, and
  // 8 bytes a number with room to double, were ~50 MB at soak --scale 40); callers read through the
  // accessors below.
  private readonly userIdList = new PackedIds()
  private readonly videoIdList = new PackedIds()
  private readonly userIndex = new StringIndex(this.userIdList)
  private readonly videoIndex = new StringIndex(this.videoIdList)
  private createdAtMsByUser = new Float64Array(1024)
  /** Uploads and followers, by user (counts: int32; a world's are). */
  private uploadsByUser = new Int32Array(1024)
  private followersByUser = new Int32Array(1024)
  private creatorByVideo = new Int32Array(1024)
  private userF64 = new Float64Array(1024 * F64_PER_USER)
  private userI32 = new Int32Array(this.userF64.buffer)
  /** 1 for a video taken down. */
  private takenDown = new Uint8Array(1024)
  private readonly blocks = new IpBlocks()
  /** What `videoIds` and `videoCreator` gave a system module of interface version 1, when one asked (see there). */
  private legacyVideoIds: string[] | undefined
  private legacyVideoCreator: number[] | undefined

  addUser(record: UserRecord): number {
    assertCount('uploads', record.uploads)
    assertCount('followers', record.followers)
    const index = this.userIdList.length
    const existing = this.userIndex.claim(record.userId, index)
    if (existing !== index) return existing
    this.userIdList.push(record.userId)
    if (index === this.createdAtMsByUser.length) this.growUsers(index * 2)
    this.createdAtMsByUser[index] = record.createdAtMs
    this.uploadsByUser[index] = record.uploads
    this.followersByUser[index] = record.followers
    this.userF64[index * F64_PER_USER + AT_LAST_ACTIVE] = record.lastActiveAtMs
    this.userI32[index * I32_PER_USER + AT_BLOCK] = this.blocks.intern(record.ip)
    this.userI32[index * I32_PER_USER + AT_DELETED] = 0
    return index
  }

  /** Room for this many users and videos in all without growing the tables (a hint; more still fit). */
  reserve({ users, videos }: { users: number; videos: number }): void {
    this.userIndex.reserve(users)
    this.videoIndex.reserve(videos)
    this.userIdList.reserve(users)
    this.videoIdList.reserve(videos)
    if (users > this.createdAtMsByUser.length) this.growUsers(users)
    if (videos > this.creatorByVideo.length) this.growVideos(videos)
  }

  /** Videos must name a known creator; returns -1 when the creator is unknown. */
  addVideo(record: VideoRecord): number {
    const existing = this.videoIndex.get(record.videoId)
    if (existing >= 0) return existing
    const creator = this.userIndex.get(record.creatorId)
    if (creator < 0) return -1
    const index = this.videoIdList.length
    if (index === this.creatorByVideo.length) this.growVideos(index * 2)
    this.videoIndex.claim(record.videoId, index)
    this.videoIdList.push(record.videoId)
    this.creatorByVideo[index] = creator
    this.takenDown[index] = 0
    return index
  }

  /** The user's id (a new string each call: hot paths keep handles). */
  userId(user: number): string {
    return this.userIdList.at(user)
  }

  /** The video's id (a new string each call: hot paths keep handles). */
  videoId(video: number): string {
    return this.videoIdList.at(video)
  }

  /** The ids of users `start` up to (not including) `end`, fewer past the last (a page of the directory). */
  userIdSlice(start: number, end: number): string[] {
    return this.userIdList.slice(start, end)
  }

  videoIdSlice(start: number, end: number): string[] {
    return this.videoIdList.slice(start, end)
  }

  /** Whether the user's id is `userId`, without making a string. */
  userIdIs(user: number, userId: string): boolean {
    return user >= 0 && user < this.userCount && this.userIdList.equals(user, userId)
  }

  videoIdIs(video: number, videoId: string): boolean {
    return video >= 0 && video < this.videoCount && this.videoIdList.equals(video, videoId)
  }

  /** The order of two videos' ids, as `<` on the strings would sort them (liked lists are ordered by id), without making them. */
  compareVideoIds(a: number, b: number): number {
    return this.videoIdList.compare(a, b)
  }

  /** The video's creator; -1 for a video the directory does not have. */
  creatorOf(video: number): number {
    return video >= 0 && video < this.videoCount ? (this.creatorByVideo[video] as number) : -1
  }

  createdAtMs(user: number): number {
    return this.createdAtMsByUser[user] as number
  }

  uploads(user: number): number {
    return this.uploadsByUser[user] as number
  }

  followers(user: number): number {
    return this.followersByUser[user] as number
  }

  /**
   * @deprecated `videoId(video)` and `compareVideoIds(a, b)`. Kept for system modules written
   * against interface version 1 (DirectoryView): made on first use, from then on a string per video.
   */
  get videoIds(): readonly string[] {
    const ids = (this.legacyVideoIds ??= [])
    for (let video = ids.length; video < this.videoCount; video++) ids.push(this.videoId(video))
    return ids
  }

  /** @deprecated `creatorOf(video)`; kept as `videoIds` is. */
  get videoCreator(): readonly number[] {
    const creators = (this.legacyVideoCreator ??= [])
    for (let video = creators.length; video < this.videoCount; video++) creators.push(this.creatorOf(video))
    return creators
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
    return this.userIdList.length
  }

  get videoCount(): number {
    return this.videoIdList.length
  }

  /** The interned /24 block of an address (new blocks are added). */
  blockOf(ip: string): number {
    return this.blocks.intern(ip)
  }

  private growUsers(users: number): void {
    this.createdAtMsByUser = grown(this.createdAtMsByUser, new Float64Array(users))
    this.uploadsByUser = grown(this.uploadsByUser, new Int32Array(users))
    this.followersByUser = grown(this.followersByUser, new Int32Array(users))
    this.userF64 = grown(this.userF64, new Float64Array(users * F64_PER_USER))
    this.userI32 = new Int32Array(this.userF64.buffer)
  }

  private growVideos(videos: number): void {
    this.creatorByVideo = grown(this.creatorByVideo, new Int32Array(videos))
    this.takenDown = grown(this.takenDown, new Uint8Array(videos))
  }
}

/** Counts are kept as int32 (a world's are): anything else is a caller's bug, not a value to round. */
function assertCount(field: string, value: number): void {
  if ((value | 0) !== value) throw new RangeError(`Directory: ${field} must be a 32-bit integer, got ${value}`)
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
