// The compact structures a world of millions keeps its accounts, addresses and imported likes in (issue 20).
import { describe, expect, it } from 'vitest'
import { PackedStrings } from '../../sim/packed-strings.ts'
import { ImportedLikes } from '../../sim/imported-likes.ts'
import { Ipv4Column, ipv4Number } from '../../sim/ipv4-column.ts'

describe('PackedStrings', () => {
  it('gives back every string it holds, in order, past its initial capacity', () => {
    const table = new PackedStrings({ expectedCount: 2, bytesPerString: 1 })
    const texts = Array.from({ length: 5000 }, (_, i) => `u_${i.toString(36)}${'x'.repeat(i % 7)}`)
    texts.push('')
    for (const text of texts) table.push(text)
    expect(table.length).toBe(texts.length)
    expect([...table]).toEqual(texts)
    expect(table.get(4999)).toBe(texts[4999])
    expect(texts.every((text, i) => table.indexOf(text) === i)).toBe(true)
  })

  it('answers undefined / -1 outside what it holds, and finds the first of duplicates', () => {
    const table = new PackedStrings()
    table.push('a.b')
    table.push('ab')
    expect(table.get(-1)).toBeUndefined()
    expect(table.get(2)).toBeUndefined()
    expect(table.get(0.5)).toBeUndefined()
    expect(table.indexOf('a')).toBe(-1)
    expect(table.has('ab')).toBe(true)
    expect(table.push('a.b')).toBe(2)
    expect(table.indexOf('a.b')).toBe(0)
    expect(table.add('a.b')).toBe(0)
    expect(table.add('c')).toBe(3)
    expect(table.length).toBe(4)
  })

  it('refuses what it cannot give back byte for byte', () => {
    const table = new PackedStrings()
    expect(() => table.push('café')).toThrow(RangeError)
    expect(table.length).toBe(0)
  })
})

describe('Ipv4Column', () => {
  it('gives back canonical dotted quads as they were stored', () => {
    const column = new Ipv4Column(3)
    column.set(0, '0.0.0.0')
    column.set(1, '255.255.255.255')
    column.set(2, '81.14.203.7')
    expect([...column]).toEqual(['0.0.0.0', '255.255.255.255', '81.14.203.7'])
    expect(column.get(3)).toBeUndefined()
  })

  it('refuses anything that would not come back the same', () => {
    const column = new Ipv4Column(1)
    for (const bad of ['1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.256', '1.2.3.x', '::1', '']) expect(() => column.set(0, bad)).toThrow(RangeError)
    expect(() => column.set(1, '1.2.3.4')).toThrow(RangeError)
    expect(ipv4Number('1.2.3.4')).toBe(0x01020304)
  })
})

describe('ImportedLikes', () => {
  it('holds the likes as columns in time order, likes at the same time in the order given', () => {
    const likes = new ImportedLikes({ user: [1, 2, 3, 4], video: [10, 20, 30, 40], atMs: [-5, -9, -5, -7] })
    expect(likes.length).toBe(4)
    expect([...likes]).toEqual([
      { user: 2, video: 20, atMs: -9 },
      { user: 4, video: 40, atMs: -7 },
      { user: 1, video: 10, atMs: -5 },
      { user: 3, video: 30, atMs: -5 },
    ])
    expect([...likes.user]).toEqual([2, 4, 1, 3])
  })

  it('refuses columns of different lengths', () => {
    expect(() => new ImportedLikes({ user: [1], video: [], atMs: [0] })).toThrow(RangeError)
  })
})
