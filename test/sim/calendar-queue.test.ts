// The traffic's calendar queue must order exactly as a binary heap: (atMs, insertion order),
// across bucket boundaries, ring wrap-around and far-future items held in its overflow heap.
import { describe, expect, it } from 'vitest'
import { CalendarQueue } from '../../sim/calendar-queue.ts'
import { EventQueue } from '../../sim/event-queue.ts'
import { Rng } from '../../sim/rng.ts'

interface Item {
  readonly atMs: number
  seq: number
  readonly tag: number
}

function drain(queue: CalendarQueue<Item>): Item[] {
  const out: Item[] = []
  for (let item = queue.pop(); item !== undefined; item = queue.pop()) out.push(item)
  return out
}

describe('CalendarQueue', () => {
  it('is empty at first', () => {
    const q = new CalendarQueue<Item>()
    expect(q.size).toBe(0)
    expect(q.peek()).toBeUndefined()
    expect(q.peekTimeMs()).toBe(Infinity)
    expect(q.pop()).toBeUndefined()
  })

  it('pops in time order, with fractional times inside one bucket', () => {
    const q = new CalendarQueue<Item>()
    const times = [5.9, 5.1, 3, 5.5, 0.25, 0, 1000.5, 999.99, 3]
    times.forEach((atMs, tag) => q.push({ atMs, seq: -1, tag }))
    expect(q.size).toBe(times.length)
    expect(drain(q).map((item) => item.atMs)).toEqual([...times].sort((a, b) => a - b))
    expect(q.size).toBe(0)
  })

  it('breaks ties in insertion order (FIFO), in the ring and in the overflow', () => {
    const q = new CalendarQueue<Item>()
    const times = [7, 200_000, 7, 3, 200_000, 7, 3, 200_000]
    times.forEach((atMs, tag) => q.push({ atMs, seq: -1, tag }))
    expect(drain(q).map((item) => item.tag)).toEqual([3, 6, 0, 2, 5, 1, 4, 7])
  })

  it('peek does not consume and agrees with pop', () => {
    const q = new CalendarQueue<Item>()
    q.push({ atMs: 50, seq: -1, tag: 0 })
    q.push({ atMs: 10, seq: -1, tag: 1 })
    q.push({ atMs: 90_000, seq: -1, tag: 2 })
    for (const expected of [1, 0, 2]) {
      expect(q.peek()?.tag).toBe(expected)
      expect(q.peek()?.tag).toBe(expected)
      expect(q.pop()?.tag).toBe(expected)
    }
    expect(q.peekTimeMs()).toBe(Infinity)
  })

  it('after a peek, an item pushed earlier than the peeked head comes out first', () => {
    const q = new CalendarQueue<Item>()
    q.push({ atMs: 0, seq: -1, tag: 0 })
    expect(q.pop()?.tag).toBe(0)
    q.push({ atMs: 500, seq: -1, tag: 1 })
    expect(q.peekTimeMs()).toBe(500)
    q.push({ atMs: 200, seq: -1, tag: 2 })
    q.push({ atMs: 0.5, seq: -1, tag: 3 })
    expect(q.peekTimeMs()).toBe(0.5)
    expect(drain(q).map((item) => item.tag)).toEqual([3, 2, 1])
  })

  it('refuses an item before the current bucket', () => {
    const q = new CalendarQueue<Item>()
    q.push({ atMs: 5000, seq: -1, tag: 0 })
    q.pop()
    expect(() => q.push({ atMs: 4000, seq: -1, tag: 1 })).toThrow(/before the current bucket/)
    // The current bucket itself is still open.
    q.push({ atMs: 5000.5, seq: -1, tag: 2 })
    expect(q.pop()?.tag).toBe(2)
  })

  it('jumps over long empty stretches and wraps the ring', () => {
    const q = new CalendarQueue<Item>()
    const times = [0, 65_535, 65_536, 65_537, 131_072.5, 1_000_000, 1_065_535, 1_065_536, 5_000_000]
    // Pushed in reverse, popped in order.
    ;[...times].reverse().forEach((atMs, tag) => q.push({ atMs, seq: -1, tag }))
    expect(drain(q).map((item) => item.atMs)).toEqual(times)
  })

  it('moves far-future items into the ring as it advances, right up to the horizon', () => {
    const q = new CalendarQueue<Item>()
    q.push({ atMs: 60_000, seq: -1, tag: 0 })
    // 65,535 ms past 60 s: the last bucket of the ring once the ring starts at 60 s.
    q.push({ atMs: 125_535, seq: -1, tag: 1 })
    q.push({ atMs: 125_536, seq: -1, tag: 2 })
    expect(q.pop()?.tag).toBe(0)
    // Pushed after the ring moved to 60 s: these land in the ring, around the migrated items.
    q.push({ atMs: 125_535.5, seq: -1, tag: 3 })
    q.push({ atMs: 125_535, seq: -1, tag: 4 })
    // Peek must already see the migrated item, not only pop.
    expect(q.peek()?.tag).toBe(1)
    expect(drain(q).map((item) => item.tag)).toEqual([1, 4, 3, 2])
  })

  it('matches a binary heap under a long random push/peek/pop sequence', () => {
    const s = new Rng(31).stream('calendar')
    const q = new CalendarQueue<Item>()
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
        const a = { atMs, seq: -1, tag }
        const b = { atMs, seq: -1, tag }
        tag++
        q.push(a)
        ref.push(b)
      } else if (r < 0.6) {
        const peeked = q.peek()
        if (peeked?.tag !== ref.peek()?.tag) throw new Error(`peek differs at step ${step}: ${peeked?.tag} vs ${ref.peek()?.tag}`)
      } else {
        const a = q.pop()
        const b = ref.pop()
        got.push(a?.tag ?? -1)
        want.push(b?.tag ?? -1)
        if (b !== undefined) nowMs = b.atMs
      }
      if (q.size !== ref.size) throw new Error(`size ${q.size} != ${ref.size} at step ${step}`)
    }
    for (let a = q.pop(); a !== undefined; a = q.pop()) got.push(a.tag)
    for (let b = ref.pop(); b !== undefined; b = ref.pop()) want.push(b.tag)
    expect(got.length).toBe(want.length)
    expect(got).toEqual(want)
  })
})
