// The directory interns each account's /24 block (the address up to its last dot) to a dense id,
// in order of first sight: dotted IPv4 addresses by number, anything else by text, one sequence.
import { describe, expect, it } from 'vitest'
import { Directory } from '../../../mock-server/core/directory.ts'
import { ipv4BlockKey } from '../../../mock-server/core/ip-blocks.ts'

const user = (n: number, ip: string) => ({ userId: `u${n}`, handle: `h${n}`, ip, homeRegion: 'us-east', createdAtMs: 0, lastActiveAtMs: 0, uploads: 0, followers: 0 })

/** What the ids must be: the text before the last dot, numbered in order of first sight. */
function expectedBlocks(ips: readonly string[]): number[] {
  const seen = new Map<string, number>()
  return ips.map((ip) => {
    const block = ip.slice(0, ip.lastIndexOf('.'))
    if (!seen.has(block)) seen.set(block, seen.size)
    return seen.get(block) as number
  })
}

describe('directory blocks', () => {
  it('numbers canonical dotted quads by their first three octets and refuses anything else', () => {
    expect(ipv4BlockKey('203.1.2.3')).toBe(203 * 65536 + 1 * 256 + 2)
    expect(ipv4BlockKey('0.0.0.0')).toBe(0)
    expect(ipv4BlockKey('255.255.255.x')).toBe(0xffffff)
    expect(ipv4BlockKey('1.2.3.4 ')).toBe(ipv4BlockKey('1.2.3.4'))
    for (const ip of ['010.1.2.3', '203.01.2.3', '256.1.2.3', '1.2.3', '1.2.3.4.5', '1..2.3', 'a.b.c.d', '', '::1', '-1.2.3.4']) {
      expect(ipv4BlockKey(ip), ip).toBe(-1)
    }
  })

  it('gives the same block ids as interning the text before the last dot', () => {
    const ips = ['203.1.2.3', '203.1.2.99', '010.1.2.3', '203.1.3.1', '1.2.3.4.5', '1.2.3.4.6', '1.2.3.4', 'fe80::1', 'fe80::2', '203.1.2.x', '256.0.0.1', '203.1.3', '203.1.3.7', 'nodots']
    const directory = new Directory()
    ips.forEach((ip, n) => directory.addUser(user(n, ip)))
    const ids = ips.map((_, n) => directory.ipBlockOf(n))
    expect(ids).toEqual(expectedBlocks(ips))
    expect(directory.blockOf('203.1.2.200')).toBe(ids[0])
    expect(directory.blockOf('1.2.3.4.7')).toBe(ids[4])
    expect(directory.blockOf('9.9.9.9')).toBe(Math.max(...ids) + 1)
  })
})
