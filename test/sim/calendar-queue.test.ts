// The traffic's calendar queue must order exactly as a binary heap: (atMs, insertion order),
// across bucket boundaries, ring wrap-around and far-future items held in its overflow heap.
import { describe, expect, it } from 'vitest'
import { CalendarQueue } from '../../sim/calendar-queue.ts'
import { EventQueue } from '../../sim/event-queue.ts'
import { Rng } from '../../sim/rng.ts'

interface Item {
  readonly atMs: number
  readonly tag: number
}

/** The queue holds slots; the test keeps each slot's tag alongside, as the traffic keeps an operation's fields. */
class Tagged {
  readonly queue = new CalendarQueue()
  private readonly tags = new Map<number, number>()

  push(atMs: number, tag: number): void {
    const slot = this.queue.push(atMs)
    if (this.tags.has(slot)) throw new Error(`slot ${slot} handed out twice`)
    this.tags.set(slot, tag)
  }

  peek(): number | undefined {
    const slot = this.queue.peek()
    return slot < 0 ? undefined : this.tags.get(slot)
  }

  pop(): number | undefined {
    const slot = this.queue.pop()
    if (slot < 0) return undefined
    const tag = this.tags.get(slot)
    this.tags.delete(slot)
    this.queue.free(slot)
    return tag
  }

  popTime(): number | undefined {
    const slot = this.queue.pop()
    if (slot < 0) return undefined
    const atMs = this.queue.timeOf(slot)
    this.tags.delete(slot)
    this.queue.free(slot)
    return atMs
  }

  drainTags(): number[] {
    const out: number[] = []
    for (let tag = this.pop(); tag !== undefined; tag = this.pop()) out.push(tag)
    return out
  }

  drainTimes(): number[] {
    const out: number[] = []
    for (let atMs = this.popTime(); atMs !== undefined; atMs = this.popTime()) out.push(atMs)
    return out
  }
}

describe('CalendarQueue', () => {
  it('is empty at first', () => {
    const q = new CalendarQueue()
    expect(q.size).toBe(0)
    expect(q.peek()).toBe(-1)
    expect(q.peekTimeMs()).toBe(Infinity)
    expect(q.pop()).toBe(-1)
  })

  it('pops in time order, with fractional times inside one bucket', () => {
    const q = new Tagged()
    const times = [5.9, 5.1, 3, 5.5, 0.25, 0, 1000.5, 999.99, 3]
    times.forEach((atMs, tag) => q.push(atMs, tag))
    expect(q.queue.size).toBe(times.length)
    expect(q.drainTimes()).toEqual([...times].sort((a, b) => a - b))
    expect(q.queue.size).toBe(0)
  })

  it('breaks ties in insertion order (FIFO), in the ring and in the overflow', () => {
    const q = new Tagged()
    const times = [7, 200_000, 7, 3, 200_000, 7, 3, 200_000]
    times.forEach((atMs, tag) => q.push(atMs, tag))
    expect(q.drainTags()).toEqual([3, 6, 0, 2, 5, 1, 4, 7])
  })

  it('peek does not consume and agrees with pop', () => {
    const q = new Tagged()
    q.push(50, 0)
    q.push(10, 1)
    q.push(90_000, 2)
    for (const expected of [1, 0, 2]) {
      expect(q.peek()).toBe(expected)
      expect(q.peek()).toBe(expected)
      expect(q.pop()).toBe(expected)
    }
    expect(q.queue.peekTimeMs()).toBe(Infinity)
  })

  it('after a peek, an item pushed earlier than the peeked head comes out first', () => {
    const q = new Tagged()
    q.push(0, 0)
    expect(q.pop()).toBe(0)
    q.push(500, 1)
    expect(q.queue.peekTimeMs()).toBe(500)
    q.push(200, 2)
    q.push(0.5, 3)
    expect(q.queue.peekTimeMs()).toBe(0.5)
    expect(q.drainTags()).toEqual([3, 2, 1])
  })

  it('refuses an item before the current bucket', () => {
    const q = new Tagged()
    q.push(5000, 0)
    q.pop()
    expect(() => q.push(4000, 1)).toThrow(/before the current bucket/)
    // The current bucket itself is still open.
    q.push(5000.5, 2)
    expect(q.pop()).toBe(2)
  })

  it('jumps over long empty stretches and wraps the ring', () => {
    const q = new Tagged()
    const times = [0, 65_535, 65_536, 65_537, 131_072.5, 1_000_000, 1_065_535, 1_065_536, 5_000_000]
    // Pushed in reverse, popped in order.
    ;[...times].reverse().forEach((atMs, tag) => q.push(atMs, tag))
    expect(q.drainTimes()).toEqual(times)
  })

  it('moves far-future items into the ring as it advances, right up to the horizon', () => {
    const q = new Tagged()
    q.push(60_000, 0)
    // 65,535 ms past 60 s: the last bucket of the ring once the ring starts at 60 s.
    q.push(125_535, 1)
    q.push(125_536, 2)
    expect(q.pop()).toBe(0)
    // Pushed after the ring moved to 60 s: these land in the ring, around the migrated items.
    q.push(125_535.5, 3)
    q.push(125_535, 4)
    // Peek must already see the migrated item, not only pop.
    expect(q.peek()).toBe(1)
    expect(q.drainTags()).toEqual([1, 4, 3, 2])
  })

  it('reuses freed slots and grows past its first slots', () => {
    const q = new Tagged()
    for (let i = 0; i < 10_000; i++) q.push(i % 977, i)
    expect(q.queue.capacity).toBeGreaterThanOrEqual(10_000)
    const tags = q.drainTags()
    expect(tags.length).toBe(10_000)
    // Ties come out in insertion order.
    for (let i = 1; i < tags.length; i++) {
      const a = tags[i - 1] as number
      const b = tags[i] as number
      expect(a % 977 < b % 977 || (a % 977 === b % 977 && a < b)).toBe(true)
    }
    const capacity = q.queue.capacity
    for (let i = 0; i < 10_000; i++) q.push(2000 + i, i)
    expect(q.queue.capacity).toBe(capacity)
  })

  it('matches a binary heap under a long random push/peek/pop sequence', () => {
    const s = new Rng(31).stream('calendar')
    const q = new Tagged()
    const ref = new EventQueue<Item>()
    const got: number[] = []
    const want: number[] = []
    let nowMs = 0
    let tag = 0
    const recent: number[] = []
    for (let step = 0; step < 60_000; step++) {
      const r = s.next()
      if (r < 0.5 || ref.size === 0) {
        // Mostly near-future follow-ups, some ties, some far-future items beyond the ring.
        const kind = s.next()
        let atMs: number
        if (kind < 0.6) atMs = nowMs + s.exponential(800)
        else if (kind < 0.75 && recent.length > 0) atMs = Math.max(nowMs, s.pick(recent))
        else if (kind < 0.9) atMs = nowMs + s.between(0, 70_000)
        else atMs = nowMs + s.between(60_000, 400_000)
        if (s.chance(0.3)) atMs = Math.floor(atMs)
        recent.push(atMs)
        if (recent.length > 50) recent.shift()
        q.push(atMs, tag)
        ref.push({ atMs, tag })
        tag++
      } else if (r < 0.6) {
        const peeked = q.peek()
        if (peeked !== ref.peek()?.tag) throw new Error(`peek differs at step ${step}: ${peeked} vs ${ref.peek()?.tag}`)
      } else {
        const a = q.pop()
        const b = ref.pop()
        got.push(a ?? -1)
        want.push(b?.tag ?? -1)
        if (b !== undefined) nowMs = b.atMs
      }
      if (q.queue.size !== ref.size) throw new Error(`size ${q.queue.size} != ${ref.size} at step ${step}`)
    }
    for (let a = q.pop(); a !== undefined; a = q.pop()) got.push(a)
    for (let b = ref.pop(); b !== undefined; b = ref.pop()) want.push(b.tag)
    expect(got.length).toBe(want.length)
    expect(got).toEqual(want)
  })
})
