import { describe, expect, it } from 'vitest'
import { PackedIds } from '../../../mock-server/core/packed-ids.ts'
import { StringIndex } from '../../../mock-server/core/string-index.ts'

describe('StringIndex', () => {
  it('finds every string of its list at its position, past many growths', () => {
    const list = new PackedIds()
    const index = new StringIndex(list)
    for (let i = 0; i < 20_000; i++) {
      const text = `u_${(i * 7919).toString(36)}${i % 3 === 0 ? 'é' : ''}`
      expect(index.claim(text, list.length)).toBe(list.length)
      list.push(text)
    }
    expect(list.slice(0, list.length).every((text, i) => index.get(text) === i)).toBe(true)
    expect(index.get('u_')).toBe(-1)
    expect(index.get('')).toBe(-1)
  })

  it('gives a string it holds its first position, and makes room once when told how many are coming', () => {
    const list = new PackedIds()
    const index = new StringIndex(list)
    for (const text of ['a', 'b']) {
      index.claim(text, list.length)
      list.push(text)
    }
    expect(index.claim('a', 2)).toBe(0)
    expect(index.get('b')).toBe(1)
    index.reserve(1000)
    expect([index.get('a'), index.get('b'), index.get('c')]).toEqual([0, 1, -1])
  })
})
