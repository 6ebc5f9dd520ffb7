// The /24 block of each account's address (the address up to its last dot) interned to a dense id,
// in order of first sight: per-client rate limits and detection key on the block as a number.

export class IpBlocks {
  /** Dotted IPv4 addresses by their first three octets as one number, anything else by text; one id sequence. */
  private readonly ipv4BlockIds = new Map<number, number>()
  private readonly otherBlockIds = new Map<string, number>()

  /** The block's id (a new block gets the next one). */
  intern(ip: string): number {
    // A number instead of a sliced string for the common case: no string to build and hash per user.
    const key = ipv4BlockKey(ip)
    if (key >= 0) {
      let id = this.ipv4BlockIds.get(key)
      if (id === undefined) {
        id = this.count
        this.ipv4BlockIds.set(key, id)
      }
      return id
    }
    const block = ip.slice(0, ip.lastIndexOf('.'))
    let id = this.otherBlockIds.get(block)
    if (id === undefined) {
      id = this.count
      this.otherBlockIds.set(block, id)
    }
    return id
  }

  /** Blocks interned so far (the next block's id). */
  private get count(): number {
    return this.ipv4BlockIds.size + this.otherBlockIds.size
  }
}

/**
 * a * 2^16 + b * 2^8 + c for an address "a.b.c.x" whose first three parts are octets written the
 * canonical way (0-255, no leading zero) and whose last part has no dot; -1 for anything else.
 * Exactly those addresses have a block "a.b.c" that such a number names, so numbered and textual
 * blocks never meet.
 */
export function ipv4BlockKey(ip: string): number {
  let key = 0
  let octet = 0
  let digits = 0
  let dots = 0
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i)
    if (c === 46) {
      if (dots === 3 || digits === 0) return -1
      key = key * 256 + octet
      dots++
      octet = 0
      digits = 0
      continue
    }
    if (dots === 3) continue
    if (c < 48 || c > 57 || (digits === 1 && octet === 0)) return -1
    octet = octet * 10 + (c - 48)
    digits++
    if (octet > 255) return -1
  }
  return dots === 3 ? key : -1
}

