// Where the history's attempts live: chunks of a power-of-two number of rows, every column of a
// chunk in one buffer (history-columns.ts). Without a store every chunk stays in memory. With one
// (a file, given by the runner: sim/ does no I/O), at most `residentChunks` stay in memory and the
// others are written to the store and read back when asked for, so a history of any length costs
// a fixed amount of memory. The checkers read the history in order (or near it: a retry is rows
// away from its first attempt), so a chunk is read back about once per pass over the history.
import { allocateChunk, type AttemptColumns, type ColumnsChunk } from './history-columns.ts'

/** Somewhere to keep chunks out of memory. Chunks are written whole and read back whole. */
export interface ChunkStore {
  /** Keep chunk `index`'s bytes (they replace what was written for it before). */
  write(index: number, bytes: Uint8Array): void
  /** Fill `into` with chunk `index`'s bytes as last written. */
  read(index: number, into: Uint8Array): void
  /** Release what the store holds; no call follows. */
  close(): void
}

export interface ChunkOptions {
  /** Rows per chunk, rounded up to a power of two (at least 2^10, at most 2^16). */
  readonly chunkRows: number
  readonly store?: ChunkStore | undefined
  /** With a store: how many chunks stay in memory (at least 2). */
  readonly residentChunks?: number
}

export const MAX_CHUNK_ROWS = 1 << 16
const MIN_CHUNK_ROWS = 1 << 10
const DEFAULT_RESIDENT_CHUNKS = 8

interface Resident extends ColumnsChunk {
  index: number
  /** Changed since it was last written to the store (a new chunk always is). */
  dirty: boolean
  lastUseTick: number
}

export class ChunkedRows {
  /** log2 of the rows per chunk: row r is in chunk r >>> shift, at r & mask. */
  readonly shift: number
  readonly mask: number
  /** How many chunks exist (written or resident). */
  private chunkCount = 0
  private readonly store: ChunkStore | undefined
  private readonly residentMax: number
  /** Resident chunks by index (all of them without a store). */
  private readonly resident = new Map<number, Resident>()
  private recent: Resident | undefined
  private tick = 0

  constructor({ chunkRows, store, residentChunks = DEFAULT_RESIDENT_CHUNKS }: ChunkOptions) {
    const rows = Math.min(MAX_CHUNK_ROWS, Math.max(MIN_CHUNK_ROWS, chunkRows))
    this.shift = Math.ceil(Math.log2(rows))
    this.mask = (1 << this.shift) - 1
    this.store = store
    this.residentMax = store === undefined ? Infinity : Math.max(2, residentChunks)
  }

  /** The columns of the chunk holding `row` (its rows are at row & mask), to read. */
  read(row: number): AttemptColumns {
    const index = row >>> this.shift
    const recent = this.recent
    if (recent !== undefined && recent.index === index) return recent.columns
    return this.bring(index).columns
  }

  /** The same, to write: the chunk will be written back to the store before it leaves memory. */
  write(row: number): AttemptColumns {
    const index = row >>> this.shift
    let chunk = this.recent
    if (chunk === undefined || chunk.index !== index) chunk = this.bring(index)
    chunk.dirty = true
    return chunk.columns
  }

  /** Bytes held in memory by the resident chunks. */
  get residentBytes(): number {
    let bytes = 0
    for (const chunk of this.resident.values()) bytes += chunk.bytes.byteLength
    return bytes
  }

  /** Release the store. The rows it held can no longer be read. */
  close(): void {
    this.store?.close()
  }

  private bring(index: number): Resident {
    let chunk = this.resident.get(index)
    if (chunk === undefined) {
      if (index > this.chunkCount) throw new Error(`history: row of chunk ${index} asked for, only ${this.chunkCount} chunks exist`)
      chunk = this.admit(index)
      // A chunk asked for the first time is the next one (rows are appended in order): new rows.
      if (index === this.chunkCount) this.chunkCount++
      else (this.store as ChunkStore).read(index, chunk.bytes)
    }
    chunk.lastUseTick = ++this.tick
    this.recent = chunk
    return chunk
  }

  /** A chunk's place in memory: a fresh one, or the buffer of the least recently used (written back first when changed). */
  private admit(index: number): Resident {
    const fresh = index === this.chunkCount
    if (this.resident.size >= this.residentMax) {
      let victim: Resident | undefined
      for (const chunk of this.resident.values()) if (victim === undefined || chunk.lastUseTick < victim.lastUseTick) victim = chunk
      const evicted = victim as Resident
      if (evicted.dirty) (this.store as ChunkStore).write(evicted.index, evicted.bytes)
      this.resident.delete(evicted.index)
      // A chunk read back is overwritten whole, so it takes the evicted one's buffer; a new one must hold pending values.
      if (!fresh) return this.place({ columns: evicted.columns, bytes: evicted.bytes, index, dirty: false, lastUseTick: 0 })
    }
    return this.place({ ...allocateChunk(1 << this.shift), index, dirty: fresh, lastUseTick: 0 })
  }

  private place(chunk: Resident): Resident {
    this.resident.set(chunk.index, chunk)
    return chunk
  }
}
