// The request attempts of a k6 output, as the collector reads them: rows of numbers in chunks
// that, given a store (the ingester's spill file), leave memory once full, so an output of any
// length costs a few chunks plus what ordering the attempts needs: each attempt's send time and
// its (request, attempt, hop) key, 16 bytes, kept in memory to sort by. The rebuilt history reads
// the rows back in send order; a k6 instance writes its points about in send order, so the chunks
// it asks for are the few around each instance's place in its file.
import type { ChunkStore } from '../../sim/history-chunks.ts'

/** Columns of an attempt; `file` and `line` say where its point was (for an error naming it). */
export const ATTEMPT_COLUMNS = ['kind', 'opId', 'req', 'user', 'video', 'region', 'device', 'attempt', 'hop', 'failover', 'dueMs', 'sentMs', 'elapsedMs', 'status', 'k6err', 'code', 'failure', 'session', 'likeCount', 'viewCount', 'uniqueViewers', 'liked', 'stale', 'asOfMs', 'valuesOk', 'file', 'line'] as const
export type AttemptColumn = (typeof ATTEMPT_COLUMNS)[number]

const WIDTH = ATTEMPT_COLUMNS.length
const COLUMN_AT = Object.fromEntries(ATTEMPT_COLUMNS.map((name, i) => [name, i])) as Record<AttemptColumn, number>
/** Rows per chunk (2^12: 880 KB of rows). */
const SHIFT = 12
const CHUNK_ROWS = 1 << SHIFT
const MASK = CHUNK_ROWS - 1
/** Chunks kept in memory with a store: enough for several instances' files read side by side. */
const DEFAULT_RESIDENT_CHUNKS = 16
const INITIAL_KEYS = 1024

/** An attempt's order key beside its send time: request, then attempt, then hop (each of those two is 0-255). */
export function tieKey(req: number, attempt: number, hop: number): number {
  return req * 65536 + attempt * 256 + hop
}

export class AttemptRows {
  length = 0
  private readonly store: ChunkStore | undefined
  private readonly residentMax: number
  /** Chunks in memory, least recently used first (a Map keeps insertion order). */
  private readonly resident = new Map<number, Float64Array>()
  private recentIndex = -1
  private recent: Float64Array | undefined
  private sentMs = new Float64Array(INITIAL_KEYS)
  private keys = new Float64Array(INITIAL_KEYS)

  constructor({ store, residentChunks = DEFAULT_RESIDENT_CHUNKS }: { store?: ChunkStore | undefined; residentChunks?: number } = {}) {
    this.store = store
    this.residentMax = store === undefined ? Infinity : Math.max(2, residentChunks)
  }

  push(row: Readonly<Record<AttemptColumn, number>>): void {
    const i = this.length
    if (i === this.keys.length) this.growKeys()
    this.sentMs[i] = row.sentMs
    this.keys[i] = tieKey(row.req, row.attempt, row.hop)
    const index = i >>> SHIFT
    const chunk = (i & MASK) === 0 ? this.admit(index, new Float64Array(CHUNK_ROWS * WIDTH)) : this.chunk(index)
    const base = (i & MASK) * WIDTH
    for (let c = 0; c < WIDTH; c++) chunk[base + c] = row[ATTEMPT_COLUMNS[c] as AttemptColumn]
    this.length++
    // A full chunk never changes again: written once, it may leave memory.
    if ((this.length & MASK) === 0) this.store?.write(index, new Uint8Array(chunk.buffer))
  }

  get(column: AttemptColumn, i: number): number {
    return this.chunk(i >>> SHIFT)[(i & MASK) * WIDTH + COLUMN_AT[column]] as number
  }

  /** The rows in send order (ties: request, attempt, hop). */
  sendOrder(): Uint32Array {
    const order = new Uint32Array(this.length)
    for (let i = 0; i < order.length; i++) order[i] = i
    const sent = this.sentMs
    const keys = this.keys
    return order.sort((a, b) => (sent[a] as number) - (sent[b] as number) || (keys[a] as number) - (keys[b] as number))
  }

  /** Two rows of the same (request, attempt, hop), the later one second; undefined when every key is once. */
  duplicate(): { readonly first: number; readonly second: number } | undefined {
    const sorted = this.keys.slice(0, this.length).sort()
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i] !== sorted[i - 1]) continue
      const key = sorted[i] as number
      const first = this.keys.indexOf(key)
      return { first, second: this.keys.indexOf(key, first + 1) }
    }
    return undefined
  }

  /** Bytes held in memory: the resident chunks and the order keys. */
  get residentBytes(): number {
    let bytes = this.sentMs.byteLength + this.keys.byteLength
    for (const chunk of this.resident.values()) bytes += chunk.byteLength
    return bytes
  }

  /** Release the store; the rows can no longer be read. */
  close(): void {
    this.store?.close()
    this.resident.clear()
    this.recent = undefined
    this.recentIndex = -1
  }

  private chunk(index: number): Float64Array {
    if (index === this.recentIndex) return this.recent as Float64Array
    let chunk = this.resident.get(index)
    if (chunk === undefined) {
      if (this.store === undefined || index > (this.length - 1) >>> SHIFT) throw new Error(`k6 attempts: row of chunk ${index} asked for, which is not held`)
      chunk = this.admit(index, undefined)
      this.store.read(index, new Uint8Array(chunk.buffer))
    } else {
      // Most recently used goes last.
      this.resident.delete(index)
      this.resident.set(index, chunk)
    }
    this.recentIndex = index
    this.recent = chunk
    return chunk
  }

  /** A place in memory for chunk `index`: `fresh` (a new chunk), or the least recently used one's buffer. */
  private admit(index: number, fresh: Float64Array | undefined): Float64Array {
    let buffer = fresh
    if (this.resident.size >= this.residentMax) {
      const last = (this.length - 1) >>> SHIFT
      // The chunk being filled is not in the store yet: it stays.
      for (const [victim, rows] of this.resident) {
        if (victim === last && (this.length & MASK) !== 0) continue
        this.resident.delete(victim)
        buffer ??= rows
        break
      }
    }
    const chunk = buffer ?? new Float64Array(CHUNK_ROWS * WIDTH)
    this.resident.set(index, chunk)
    this.recentIndex = index
    this.recent = chunk
    return chunk
  }

  private growKeys(): void {
    const grow = (from: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
      const grown = new Float64Array(from.length * 2)
      grown.set(from)
      return grown
    }
    this.sentMs = grow(this.sentMs)
    this.keys = grow(this.keys)
  }
}
