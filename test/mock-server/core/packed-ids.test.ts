// The directory's ids packed (issue 20): what comes back is the same text, whatever it was, and the
// order and equality read off the packed units are the strings' own.
import { describe, expect, it } from 'vitest'
import { PackedIds } from '../../../mock-server/core/packed-ids.ts'

const packed = (ids: readonly string[]): PackedIds => {
  const list = new PackedIds()
  for (const id of ids) list.push(id)
  return list
}

describe('PackedIds', () => {
  it('gives every id back as the same text, past many growths and a widening to two bytes a unit', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `u_${(i * 7919).toString(36)}${i % 7 === 0 ? 'é' : ''}${i === 4000 ? '\u{1F600}\ud800' : ''}`)
    ids.push('', 'ÿ', 'a'.repeat(300))
    const list = packed(ids)
    expect(list.length).toBe(ids.length)
    expect(list.slice(0, list.length)).toEqual(ids)
    expect(ids.every((id, i) => list.equals(i, id) && !list.equals(i, `${id}x`))).toBe(true)
    expect(list.slice(4999, 10_000)).toEqual(ids.slice(4999))
    expect(() => list.at(ids.length)).toThrow(RangeError)
    expect(() => list.at(-1)).toThrow(RangeError)
  })

  it('orders two ids as < on the strings does (a prefix first), without making them', () => {
    const ids = ['b', 'a', 'ab', '', 'B', 'é', 'a\u{1F600}', 'a\uffff', 'v_10', 'v_9', 'v_1']
    const list = packed(ids)
    for (let a = 0; a < ids.length; a++) {
      for (let b = 0; b < ids.length; b++) {
        const [x, y] = [ids[a] as string, ids[b] as string]
        expect(Math.sign(list.compare(a, b)), `${x} vs ${y}`).toBe(x < y ? -1 : x > y ? 1 : 0)
      }
    }
  })

  it('reserved for a count, grows its characters once to what the mean id so far predicts', () => {
    const list = new PackedIds()
    list.reserve(100_000)
    for (let i = 0; i < 100_000; i++) list.push(`u_${String(i).padStart(10, '0')}`)
    expect(list.at(99_999)).toBe('u_0000099999')
    expect(list.slice(0, 2)).toEqual(['u_0000000000', 'u_0000000001'])
  })
})
