// The recent likes detection looks at: who liked what, when, and whether they had watched it.
// Column-wise and bounded: past the bound the oldest entries are overwritten (counted).
import type { Steps } from '../work-slice.ts'
import type { WorkBudget } from './detector-module.ts'

export class LikeLog {
  readonly capacity: number
  user: Int32Array
  video: Int32Array
  atMs: Float64Array
  viewedBefore: Uint8Array
  /** Total ever appended; the live window is the last min(total, capacity) entries. */
  total = 0

  constructor(capacity: number) {
    this.capacity = capacity
    const initial = Math.min(capacity, 1 << 14)
    this.user = new Int32Array(initial)
    this.video = new Int32Array(initial)
    this.atMs = new Float64Array(initial)
    this.viewedBefore = new Uint8Array(initial)
  }

  append(user: number, video: number, atMs: number, viewedBefore: boolean): void {
    if (this.total < this.capacity && this.total === this.user.length) this.grow()
    const slot = this.total % this.capacity
    this.user[slot] = user
    this.video[slot] = video
    this.atMs[slot] = atMs
    this.viewedBefore[slot] = viewedBefore ? 1 : 0
    this.total++
  }

  get size(): number {
    return Math.min(this.total, this.capacity)
  }

  get overwritten(): number {
    return Math.max(0, this.total - this.capacity)
  }

  /** Visit live entries oldest first. */
  forEach(visit: (user: number, video: number, atMs: number, viewedBefore: boolean, slot: number) => void): void {
    const size = this.size
    const start = this.total > this.capacity ? this.total % this.capacity : 0
    for (let i = 0; i < size; i++) {
      const slot = (start + i) % this.capacity
      visit(this.user[slot] as number, this.video[slot] as number, this.atMs[slot] as number, this.viewedBefore[slot] === 1, slot)
    }
  }

  /**
   * Visit the entries before `end` (an earlier `total`: the log as it was then) that are still live
   * when visited, oldest first, in slices: the log may grow between slices (entries past `end` are
   * not visited), and once full, each new like overwrites the oldest entry (skipped, if not
   * visited yet).
   */
  *scan(slice: WorkBudget, end: number, visit: (user: number, video: number, atMs: number, viewedBefore: boolean) => void): Steps<void> {
    for (let index = Math.max(0, end - this.capacity); index < end; index++) {
      if (index < this.total - this.capacity) continue
      const slot = index % this.capacity
      visit(this.user[slot] as number, this.video[slot] as number, this.atMs[slot] as number, this.viewedBefore[slot] === 1)
      if (slice.tick()) yield
    }
  }

  clear(): void {
    this.total = 0
  }

  private grow(): void {
    const size = Math.min(this.capacity, this.user.length * 2)
    const user = new Int32Array(size)
    user.set(this.user)
    this.user = user
    const video = new Int32Array(size)
    video.set(this.video)
    this.video = video
    const atMs = new Float64Array(size)
    atMs.set(this.atMs)
    this.atMs = atMs
    const viewedBefore = new Uint8Array(size)
    viewedBefore.set(this.viewedBefore)
    this.viewedBefore = viewedBefore
  }
}
