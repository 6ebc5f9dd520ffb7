// Vose's alias method: weighted O(1) sampling must reproduce the weights.
import { describe, expect, it } from 'vitest'
import { AliasTable } from '../../sim/alias-table.ts'
import { zipfWeights } from '../../sim/distributions.ts'
import { Rng } from '../../sim/rng.ts'

function frequencies(table: AliasTable, seed: number, draws: number): number[] {
  const s = new Rng(seed).stream('alias')
  const counts = new Array<number>(table.size).fill(0)
  for (let i = 0; i < draws; i++) {
    const k = table.sample(s)
    counts[k] = (counts[k] as number) + 1
  }
  return counts.map((c) => c / draws)
}

describe('AliasTable', () => {
  it('reproduces uneven weights (200k draws)', () => {
    const weights = [5, 1, 3, 0.5, 10, 0.5]
    const total = weights.reduce((a, b) => a + b, 0)
    const table = new AliasTable(weights)
    expect(table.size).toBe(6)
    const freq = frequencies(table, 1, 200_000)
    weights.forEach((w, i) => {
      expect(Math.abs((freq[i] as number) - w / total)).toBeLessThan(0.005)
    })
  })

  it('reproduces Zipf weights over many entries', () => {
    const weights = zipfWeights({ n: 200, s: 0.99 })
    const total = weights.reduce((a, b) => a + b, 0)
    const freq = frequencies(new AliasTable(weights), 2, 200_000)
    // The head entries carry most mass; check them closely, and the tail in aggregate.
    for (let i = 0; i < 5; i++) expect(Math.abs((freq[i] as number) - (weights[i] as number) / total)).toBeLessThan(0.004)
    const tailTrue = weights.slice(100).reduce((a, b) => a + b, 0) / total
    const tailSeen = freq.slice(100).reduce((a, b) => a + b, 0)
    expect(Math.abs(tailSeen - tailTrue)).toBeLessThan(0.01)
  })

  it('never draws a zero-weight entry', () => {
    const weights = [0, 2, 0, 0, 1, 0, 3, 0]
    const freq = frequencies(new AliasTable(weights), 3, 200_000)
    for (const i of [0, 2, 3, 5, 7]) expect(freq[i]).toBe(0)
    expect(freq[1]).toBeCloseTo(2 / 6, 2)
    expect(freq[4]).toBeCloseTo(1 / 6, 2)
    expect(freq[6]).toBeCloseTo(3 / 6, 2)
  })

  it('always draws the only positive entry', () => {
    const freq = frequencies(new AliasTable([0, 0, 7, 0]), 4, 10_000)
    expect(freq).toEqual([0, 0, 1, 0])
  })

  it('a single weight always yields index 0', () => {
    expect(frequencies(new AliasTable([3]), 5, 1000)).toEqual([1])
  })

  it('accepts typed arrays', () => {
    const freq = frequencies(new AliasTable(Float64Array.from([1, 3])), 6, 100_000)
    expect(Math.abs((freq[1] as number) - 0.75)).toBeLessThan(0.01)
  })

  it('is deterministic for a seed', () => {
    const table = new AliasTable([1, 2, 3, 4])
    const a = new Rng(9).stream('alias')
    const b = new Rng(9).stream('alias')
    expect(Array.from({ length: 100 }, () => table.sample(a))).toEqual(Array.from({ length: 100 }, () => table.sample(b)))
  })

  it('refuses an empty weight list', () => {
    expect(() => new AliasTable([])).toThrow(/no weights/)
  })

  it('refuses weights that sum to zero', () => {
    expect(() => new AliasTable([0, 0, 0])).toThrow(/sum to zero/)
  })

  it.each([
    ['negative', [1, -1, 2]],
    ['NaN', [1, Number.NaN]],
    ['Infinity', [Infinity, 1]],
  ])('refuses a %s weight, naming its index', (_label, weights) => {
    const bad = weights.findIndex((w) => !(w >= 0) || !Number.isFinite(w))
    expect(() => new AliasTable(weights)).toThrow(new RegExp(`weight ${bad} `))
  })

  it('mapOutcomes answers the mapped value of the very same draw', () => {
    const weights = zipfWeights({ n: 500, s: 0.99 })
    const table = new AliasTable(weights)
    const ids = Int32Array.from({ length: 500 }, (_, i) => 10_000 + i * 7)
    const mapped = table.mapOutcomes(ids)
    expect(mapped.size).toBe(500)
    const a = new Rng(9).stream('alias')
    const b = new Rng(9).stream('alias')
    for (let i = 0; i < 20_000; i++) expect(mapped.sample(b)).toBe(ids[table.sample(a)])
    expect(() => table.mapOutcomes([1, 2, 3])).toThrow(/outcomes/)
  })

  it('a table built with outcomes draws as the table mapped afterwards does', () => {
    const weights = zipfWeights({ n: 300, s: 0.8 })
    const ids = Int32Array.from({ length: 300 }, (_, i) => 5 + i * 3)
    const built = new AliasTable(weights, ids)
    expect(built.columns).toEqual(new AliasTable(weights).mapOutcomes(ids).columns)
  })

  it('keeps its columns in shared memory, which another table (another thread) can draw from without a copy', () => {
    const table = new AliasTable(zipfWeights({ n: 400, s: 0.99 }))
    expect(table.columns.buffer).toBeInstanceOf(SharedArrayBuffer)
    // What a worker receives: a structured clone of a view over shared memory is the same memory.
    const received = structuredClone(table.columns)
    const shared = AliasTable.sharing(received)
    expect(shared.columns).toBe(received)
    received[0] = 0.25
    expect(table.columns[0]).toBe(0.25)
    const a = new Rng(4).stream('alias')
    const b = new Rng(4).stream('alias')
    for (let i = 0; i < 10_000; i++) expect(shared.sample(b)).toBe(table.sample(a))
    expect(() => new AliasTable({ columns: received }, [1], { share: true })).toThrow(/cannot map/)
  })
})
