// Inboxes keep each creator's latest notifications in shared typed columns: what they answer must
// be what a plain array per creator, trimmed to inboxMax from the oldest, would answer.
import { describe, expect, it } from 'vitest'
import { Inboxes, type InboxItem } from '../../../mock-server/core/inboxes.ts'
import { Rng } from '../../../sim/rng.ts'

/** The reference: an array per creator, oldest first, trimmed from the front. */
class ArrayInboxes {
  private readonly items = new Map<number, InboxItem[]>()
  constructor(private readonly inboxMax: number) {}
  deliver(creator: number, item: InboxItem): boolean {
    const list = this.items.get(creator) ?? []
    this.items.set(creator, list)
    list.push(item)
    if (list.length <= this.inboxMax) return false
    list.shift()
    return true
  }
  latest(creator: number, limit: number): InboxItem[] {
    return (this.items.get(creator) ?? []).slice(-limit).reverse()
  }
}

describe('Inboxes', () => {
  it.each([1, 3, 100])('answers as an array per creator trimmed to inboxMax %i, through row reuse and growth', (inboxMax) => {
    const stream = new Rng(11).stream('inboxes')
    const inboxes = new Inboxes(inboxMax)
    const reference = new ArrayInboxes(inboxMax)
    const creators = 300
    for (let i = 0; i < 20_000; i++) {
      // Skewed: a few creators get most notifications and keep evicting, most get a handful.
      const creator = Math.floor(creators * stream.next() ** 3) * 7
      const item = { video: i % 977, fromUser: i, likedAtMs: i * 1.5, deliveredAtMs: i * 1.5 + 0.25 }
      expect(inboxes.deliver(creator, item)).toBe(reference.deliver(creator, item))
    }
    for (let creator = 0; creator < creators * 7; creator += 7) {
      for (const limit of [1, 2, inboxMax, inboxMax + 5]) expect(inboxes.latest(creator, limit)).toEqual(reference.latest(creator, limit))
    }
    expect(inboxes.latest(5, 10)).toEqual([])
  })

  it('keeps nothing with a bound of 0 (each notification evicted as it lands), and refuses a bound that is not a whole number', () => {
    const none = new Inboxes(0)
    expect(none.deliver(1, { video: 1, fromUser: 2, likedAtMs: 0, deliveredAtMs: 1 })).toBe(true)
    expect(none.latest(1, 10)).toEqual([])
    expect(() => new Inboxes(-1)).toThrow(/inboxMax/)
    expect(() => new Inboxes(2.5)).toThrow(/inboxMax/)
  })
})
