// Small helpers the core's typed-array tables share.

/** `next` (a larger array of the same type) with `old` copied to its start. */
export function grown<T extends Int32Array | Float64Array | Uint8Array | Uint16Array | Uint32Array>(old: T, next: T): T {
  next.set(old as never)
  return next
}

/** The smallest power of two that holds `n`, and at least 16. */
export function powerOfTwoAtLeast(n: number): number {
  return 1 << Math.ceil(Math.log2(Math.max(16, n)))
}
