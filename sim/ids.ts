// Opaque identifiers and addresses. Every account gets the same kind of id and address whatever
// it is, so the system under test cannot tell a bot from its name: detection must earn its score.
import type { RandomStream } from './rng.ts'

/** A random base-36 id with a fixed prefix, unique within `taken` (a Set, or the world's packed id table); added to it. */
export function uniqueId(stream: RandomStream, prefix: string, taken: { has(id: string): boolean; add(id: string): unknown }): string {
  for (;;) {
    const high = stream.int(36 ** 5).toString(36).padStart(5, '0')
    const low = stream.int(36 ** 5).toString(36).padStart(5, '0')
    const id = `${prefix}${high}${low}`
    if (!taken.has(id)) {
      taken.add(id)
      return id
    }
  }
}

// First octets of publicly routed unicast space: no private (10/8, 172.16/12, 192.168/16),
// shared (100.64/10), loopback, link-local, multicast or documentation addresses ever appear.
const PUBLIC_FIRST_OCTETS = [
  3, 5, 12, 23, 24, 31, 37, 41, 45, 46, 49, 50, 62, 66, 67, 68, 69, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83,
  84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 101, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112,
  113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 175, 176, 177, 178, 179, 180, 181, 182, 183, 185, 186,
  187, 188, 189, 190, 191, 193, 194, 195, 196, 197, 199, 200, 201, 202, 203, 210, 211, 212, 213, 217, 218, 219, 220, 221,
  222,
]

/** Documentation blocks (RFC 5737) inside otherwise public space. */
const RESERVED_BLOCKS = new Set(['192.0.2', '198.51.100', '203.0.113'])

/** A fresh /24 block, e.g. "81.14.203", unique within `taken`. */
export function uniqueIpBlock(stream: RandomStream, taken: Set<string>): string {
  for (;;) {
    const block = `${stream.pick(PUBLIC_FIRST_OCTETS)}.${stream.int(256)}.${stream.int(256)}`
    if (!taken.has(block) && !RESERVED_BLOCKS.has(block)) {
      taken.add(block)
      return block
    }
  }
}

export function hostIn(stream: RandomStream, block: string): string {
  return `${block}.${1 + stream.int(254)}`
}
