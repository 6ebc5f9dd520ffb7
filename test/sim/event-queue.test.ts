// The virtual clock's min-heap: time order, FIFO among equal times.
import { describe, expect, it } from 'vitest'
import { EventQueue } from '../../sim/event-queue.ts'
import { Rng } from '../../sim/rng.ts'

interface Item {
  readonly atMs: number
  readonly tag: number
}

function drain(queue: EventQueue<Item>): Item[] {
  const out: Item[] = []
  for (let item = queue.pop(); item !== undefined; item = queue.pop()) out.push(item)
  return out
}

describe('EventQueue', () => {
  it('is empty at first: size 0, peekTimeMs Infinity, peek and pop undefined', () => {
    const q = new EventQueue<Item>()
    expect(q.size).toBe(0)
    expect(q.peekTimeMs()).toBe(Infinity)
    expect(q.peek()).toBeUndefined()
    expect(q.pop()).toBeUndefined()
  })

  it('pops in time order', () => {
    const q = new EventQueue<Item>()
    for (const [i, t] of [50, 10, 40, 30, 20, 0, 60].entries()) q.push({ atMs: t, tag: i })
    expect(q.size).toBe(7)
    expect(q.peekTimeMs()).toBe(0)
    expect(drain(q).map((item) => item.atMs)).toEqual([0, 10, 20, 30, 40, 50, 60])
    expect(q.size).toBe(0)
    expect(q.peekTimeMs()).toBe(Infinity)
  })

  it('breaks ties in insertion order (FIFO)', () => {
    const q = new EventQueue<Item>()
    const times = [5, 1, 5, 1, 5, 3, 1, 5, 3]
    times.forEach((t, tag) => q.push({ atMs: t, tag }))
    const out = drain(q)
    expect(out.map((item) => item.tag)).toEqual([1, 3, 6, 5, 8, 0, 2, 4, 7])
  })

  it('keeps FIFO among many equal times interleaved with pops', () => {
    const q = new EventQueue<Item>()
    for (let tag = 0; tag < 100; tag++) q.push({ atMs: 7, tag })
    const first = Array.from({ length: 50 }, () => q.pop()?.tag)
    for (let tag = 100; tag < 150; tag++) q.push({ atMs: 7, tag })
    const rest = drain(q).map((item) => item.tag)
    expect([...first, ...rest]).toEqual(Array.from({ length: 150 }, (_, i) => i))
  })

  it('peek returns the head without removing it', () => {
    const q = new EventQueue<Item>()
    q.push({ atMs: 3, tag: 0 })
    q.push({ atMs: 1, tag: 1 })
    expect(q.peek()).toEqual({ atMs: 1, tag: 1 })
    expect(q.size).toBe(2)
    expect(q.pop()?.tag).toBe(1)
    expect(q.peek()?.tag).toBe(0)
  })

  it('returns the very objects pushed', () => {
    const q = new EventQueue<Item>()
    const item = { atMs: 1, tag: 1 }
    q.push(item)
    expect(q.pop()).toBe(item)
  })

  it('matches a stable sort under a long random push/pop sequence', () => {
    const s = new Rng(77).stream('queue')
    const q = new EventQueue<Item>()
    const reference: Item[] = []
    const popped: Item[] = []
    const expected: Item[] = []
    let tag = 0
    for (let step = 0; step < 20_000; step++) {
      if (reference.length === 0 || s.chance(0.55)) {
        // Few distinct times so that ties are common.
        const item = { atMs: s.int(200), tag: tag++ }
        q.push(item)
        reference.push(item)
      } else {
        const got = q.pop()
        // Reference: earliest time, then earliest insertion.
        let best = 0
        for (let i = 1; i < reference.length; i++) {
          const r = reference[i] as Item
          const b = reference[best] as Item
          if (r.atMs < b.atMs || (r.atMs === b.atMs && r.tag < b.tag)) best = i
        }
        expected.push(reference.splice(best, 1)[0] as Item)
        if (got !== undefined) popped.push(got)
      }
      if (q.size !== reference.length) throw new Error(`size ${q.size} != ${reference.length} at step ${step}`)
    }
    expected.push(...[...reference].sort((a, b) => a.atMs - b.atMs || a.tag - b.tag))
    popped.push(...drain(q))
    expect(popped.map((item) => item.tag)).toEqual(expected.map((item) => item.tag))
  })

  it('handles non-integer and negative times', () => {
    const q = new EventQueue<Item>()
    for (const [tag, t] of [0.5, -3, 2.25, -3.5, 0].entries()) q.push({ atMs: t, tag })
    expect(drain(q).map((item) => item.atMs)).toEqual([-3.5, -3, 0, 0.5, 2.25])
  })
})
