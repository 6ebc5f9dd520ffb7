// The (video, user) pairs a counting system's region replicas have written, each with a dense id
// given in the order the pairs were first seen anywhere. Every replica keeps its own state of a
// pair (stamp, liked) in plain columns indexed by that id (region-replica.ts), so what is the
// same in every region - the pair's key, the hash table that finds it, its place among its
// user's pairs - is kept once for all of them instead of once per region. A like set keeps a
// pair's tombstone, so ids are never given back and the columns only grow.
//
// The hash table holds ids only (4 bytes a slot); a probe compares against the key columns, which
// keep a pair's video and user side by side. It is three quarters full at most: most lookups are
// hits (a write is applied in its origin region first, then in every other), which stay short.
// Each user's pairs are chained newest first, as a push to the front needs no tail pointer.
import { hashPair } from './pair-table.ts'
import { grown, powerOfTwoAtLeast } from './typed-arrays.ts'

/** No pair: a lookup that missed, a free table slot, the end of a user's chain. */
export const NO_PAIR = -1

export class PairIndex {
  /** Open-addressed, linear probing: a pair id per slot, NO_PAIR when free. */
  private table: Int32Array
  private mask: number
  /** Video at 2 * id, user at 2 * id + 1. */
  private keys: Int32Array
  /** The next older pair of the same user, by id (NO_PAIR: the user's oldest). */
  private olderOfUser: Int32Array
  /** Each user's newest pair (NO_PAIR: none yet). */
  private newestOfUser = new Int32Array(0)
  private count = 0

  constructor(initialPairs = 1 << 10) {
    const pairs = powerOfTwoAtLeast(initialPairs)
    this.keys = new Int32Array(pairs * 2)
    this.olderOfUser = new Int32Array(pairs)
    this.table = new Int32Array(pairs * 2).fill(NO_PAIR)
    this.mask = pairs * 2 - 1
  }

  /** Pairs seen so far (their ids are 0 .. size - 1). */
  get size(): number {
    return this.count
  }

  /** Ids the columns hold before they grow: a replica sizes its own columns to it. */
  get idCapacity(): number {
    return this.olderOfUser.length
  }

  /** Room for users 0 .. users - 1 without growing (the directory knows how many there are). */
  reserveUsers(users: number): void {
    if (users > this.newestOfUser.length) this.growUsers(users)
  }

  /** The pair's id, or NO_PAIR when no replica has seen it. */
  find(video: number, user: number): number {
    return this.table[this.slotOf(video, user)] as number
  }

  /** The pair's id, a new one when it is seen for the first time (ids are non-negative integers). */
  intern(video: number, user: number): number {
    const slot = this.slotOf(video, user)
    const pair = this.table[slot] as number
    return pair === NO_PAIR ? this.add(video, user, slot) : pair
  }

  videoOf(pair: number): number {
    return this.keys[2 * pair] as number
  }

  userOf(pair: number): number {
    return this.keys[2 * pair + 1] as number
  }

  /** The user's most recently seen pair, NO_PAIR when none. */
  newestOf(user: number): number {
    return user < this.newestOfUser.length ? (this.newestOfUser[user] as number) : NO_PAIR
  }

  /** The pair seen before `pair` among its user's pairs, NO_PAIR when it is the first. */
  olderThan(pair: number): number {
    return this.olderOfUser[pair] as number
  }

  /** The table slot holding the pair, or the free slot where it would go. */
  private slotOf(video: number, user: number): number {
    const table = this.table
    const keys = this.keys
    for (let slot = hashPair(video, user) & this.mask; ; slot = (slot + 1) & this.mask) {
      const pair = table[slot] as number
      if (pair === NO_PAIR || (keys[2 * pair] === video && keys[2 * pair + 1] === user)) return slot
    }
  }

  private add(video: number, user: number, slot: number): number {
    const pair = this.count++
    if (pair === this.olderOfUser.length) this.growIds()
    this.keys[2 * pair] = video
    this.keys[2 * pair + 1] = user
    if (user >= this.newestOfUser.length) this.growUsers(Math.max(user + 1, this.newestOfUser.length * 2, 1024))
    this.olderOfUser[pair] = this.newestOfUser[user] as number
    this.newestOfUser[user] = pair
    if (this.count * 4 > this.table.length * 3) this.rehash(this.table.length * 2)
    else this.table[slot] = pair
    return pair
  }

  private growIds(): void {
    const ids = this.olderOfUser.length * 2
    this.keys = grown(this.keys, new Int32Array(ids * 2))
    this.olderOfUser = grown(this.olderOfUser, new Int32Array(ids))
  }

  private growUsers(users: number): void {
    this.newestOfUser = grown(this.newestOfUser, new Int32Array(users).fill(NO_PAIR))
  }

  /** A table of `slots` slots holding every pair, built from the key columns. */
  private rehash(slots: number): void {
    this.table = new Int32Array(slots).fill(NO_PAIR)
    this.mask = slots - 1
    for (let pair = 0; pair < this.count; pair++) {
      this.table[this.slotOf(this.videoOf(pair), this.userOf(pair))] = pair
    }
  }
}
