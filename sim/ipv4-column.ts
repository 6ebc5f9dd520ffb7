// Every account's client address as one 32-bit number instead of a dotted-quad string each (4
// bytes an account instead of ~40; issue 20). The world's addresses are all canonical dotted quads
// (sim/ids.ts: octets in decimal, no leading zeros), so text -> number -> text gives back the same
// bytes; anything else is refused when it is stored, never silently changed.
export class Ipv4Column implements Iterable<string> {
  private readonly addresses: Uint32Array

  constructor(length: number) {
    this.addresses = new Uint32Array(length)
  }

  get length(): number {
    return this.addresses.length
  }

  /** The address of `position` as text; undefined outside 0..length-1. */
  get(position: number): string | undefined {
    if (!Number.isInteger(position) || position < 0 || position >= this.addresses.length) return undefined
    const n = this.addresses[position] as number
    return `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`
  }

  set(position: number, ip: string): void {
    if (!Number.isInteger(position) || position < 0 || position >= this.addresses.length) throw new RangeError(`Ipv4Column: position ${position} outside 0..${this.addresses.length - 1}`)
    this.addresses[position] = ipv4Number(ip)
  }

  *[Symbol.iterator](): Iterator<string> {
    for (let position = 0; position < this.addresses.length; position++) yield this.get(position) as string
  }
}

/** The address "a.b.c.d" (canonical decimal octets) as a 32-bit number; a RangeError for anything else. */
export function ipv4Number(ip: string): number {
  const parts = ip.split('.')
  if (parts.length !== 4 || parts.some((part) => !/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255)) {
    throw new RangeError(`not a canonical dotted-quad IPv4 address: ${JSON.stringify(ip)}`)
  }
  return parts.reduce((n, part) => n * 256 + Number(part), 0)
}
