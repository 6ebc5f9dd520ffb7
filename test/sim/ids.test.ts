// Opaque ids and public addresses: every account gets the same kind of id and address.
import { describe, expect, it } from 'vitest'
import { hostIn, uniqueId, uniqueIpBlock } from '../../sim/ids.ts'
import { Rng, type RandomStream } from '../../sim/rng.ts'

/** Is a /24 block (first three octets) inside private, shared, loopback, link-local, multicast or reserved space? */
function isNonPublicBlock(block: string): boolean {
  const [a, b] = block.split('.').map(Number) as [number, number, number]
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b < 128) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b < 32) ||
    (a === 192 && b === 168) ||
    a >= 224
  )
}

/** A stream that replays scripted uniforms, to reach exact blocks. */
function scripted(values: number[]): RandomStream {
  const real = new Rng(0).stream('unused')
  let i = 0
  const next = (): number => {
    const v = values[i++]
    if (v === undefined) throw new Error('scripted stream exhausted')
    return v
  }
  return {
    name: 'scripted',
    next,
    int: (max) => Math.floor(next() * max),
    between: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    exponential: (mean) => -Math.log(1 - next()) * mean,
    seed32: () => real.seed32(),
    pick: (items) => items[Math.floor(next() * items.length)] as never,
    shuffle: (items) => items,
  }
}

describe('uniqueId', () => {
  it('gives prefixed 10-character base-36 ids, unique within the taken set', () => {
    const s = new Rng(1).stream('ids')
    const taken = new Set<string>()
    const ids = Array.from({ length: 20_000 }, () => uniqueId(s, 'u_', taken))
    expect(new Set(ids).size).toBe(ids.length)
    expect(taken.size).toBe(ids.length)
    expect(ids.every((id) => /^u_[0-9a-z]{10}$/.test(id))).toBe(true)
  })

  it('adds the id to the taken set and skips ids already taken', () => {
    const first = uniqueId(new Rng(2).stream('ids'), 'v_', new Set())
    // Replaying the same stream with the first id already taken must give a different id.
    const taken = new Set([first])
    const second = uniqueId(new Rng(2).stream('ids'), 'v_', taken)
    expect(second).not.toBe(first)
    expect(taken).toEqual(new Set([first, second]))
  })

  it('is deterministic for a seed', () => {
    const a = Array.from({ length: 10 }, () => uniqueId(new Rng(3).stream('ids'), 'x', new Set()))
    expect(new Set(a).size).toBe(1)
  })
})

describe('uniqueIpBlock', () => {
  it('never hands out private, shared, loopback, link-local or multicast blocks', () => {
    const s = new Rng(4).stream('ips')
    const taken = new Set<string>()
    const blocks = Array.from({ length: 50_000 }, () => uniqueIpBlock(s, taken))
    expect(blocks.filter(isNonPublicBlock)).toEqual([])
    expect(blocks.every((block) => /^\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(block))).toBe(true)
    expect(blocks.every((block) => block.split('.').every((octet) => Number(octet) >= 0 && Number(octet) <= 255))).toBe(true)
  })

  it('gives unique blocks and records them as taken', () => {
    const s = new Rng(5).stream('ips')
    const taken = new Set<string>()
    const blocks = Array.from({ length: 10_000 }, () => uniqueIpBlock(s, taken))
    expect(new Set(blocks).size).toBe(blocks.length)
    expect(taken.size).toBe(blocks.length)
  })

  it('spreads over many first octets', () => {
    const s = new Rng(6).stream('ips')
    const taken = new Set<string>()
    const firsts = new Set(Array.from({ length: 5000 }, () => uniqueIpBlock(s, taken).split('.')[0]))
    expect(firsts.size).toBeGreaterThan(50)
  })

  // 203.0.113.0/24 (TEST-NET-3, RFC 5737) is documentation space inside a public /8: a draw that
  // lands on it is rejected and the next draw is used.
  it('never hands out the reserved documentation block 203.0.113 (TEST-NET-3)', () => {
    // Find the uniform that picks 203 from the first-octet list, then ask for .0 and .113.
    let u203 = -1
    for (let k = 0; k < 1000; k++) {
      const u = (k + 0.5) / 1000
      if (uniqueIpBlock(scripted([u, 0.5 / 256, 0.5 / 256]), new Set()).startsWith('203.')) {
        u203 = u
        break
      }
    }
    expect(u203).toBeGreaterThan(0)
    const block = uniqueIpBlock(scripted([u203, 0.5 / 256, 113.5 / 256, u203, 0.5 / 256, 114.5 / 256]), new Set())
    expect(block).toBe('203.0.114')
  })
})

describe('hostIn', () => {
  it('stays in the block, with host octets 1..254 and both ends reached', () => {
    const s = new Rng(7).stream('hosts')
    const addresses = Array.from({ length: 20_000 }, () => hostIn(s, '81.14.203'))
    expect(addresses.filter((address) => !/^81\.14\.203\.\d+$/.test(address))).toEqual([])
    const hosts = new Set(addresses.map((address) => Number(address.slice('81.14.203.'.length))))
    expect(Math.min(...hosts)).toBe(1)
    expect(Math.max(...hosts)).toBe(254)
    expect(hosts.size).toBe(254)
  })
})
