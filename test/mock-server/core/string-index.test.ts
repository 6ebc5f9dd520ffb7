import { describe, expect, it } from 'vitest'
import { StringIndex } from '../../../mock-server/core/string-index.ts'

describe('StringIndex', () => {
  it('finds every string of its list at its position, past many growths', () => {
    const list: string[] = []
    const index = new StringIndex(list)
    for (let i = 0; i < 20_000; i++) {
      list.push(`u_${(i * 7919).toString(36)}${i % 3 === 0 ? 'é' : ''}`)
      index.add(i)
    }
    expect(list.every((text, i) => index.get(text) === i)).toBe(true)
    expect(index.get('u_')).toBe(-1)
    expect(index.get('')).toBe(-1)
  })

  it('keeps the first position of a string appended twice', () => {
    const list = ['a', 'b', 'a']
    const index = new StringIndex(list)
    for (let i = 0; i < list.length; i++) index.add(i)
    expect(index.get('a')).toBe(0)
    expect(index.get('b')).toBe(1)
  })
})
