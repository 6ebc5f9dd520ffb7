// The history's layout: one table names each column of an attempt, its typed array and the value
// it holds before the attempt is answered. The history keeps its attempts in chunks of rows
// (history-chunks.ts), each chunk one buffer holding every column of its rows, so that a chunk
// can be written out and read back whole; no module outside sim/history*.ts sees them (History's
// accessors do).

import { Outcome } from './outcome.ts'

type ColumnArray = Uint8Array | Int8Array | Int32Array | Float32Array | Float64Array

interface ColumnSpec<A extends ColumnArray> {
  readonly make: new (buffer: ArrayBuffer, byteOffset: number, rows: number) => A
  readonly bytesPerRow: number
  /** What the row holds until the attempt's answer writes it (a pending attempt's value). */
  readonly pending: number
}

type ColumnMaker<A extends ColumnArray> = (new (buffer: ArrayBuffer, byteOffset: number, rows: number) => A) & { readonly BYTES_PER_ELEMENT: number }

const column = <A extends ColumnArray>(make: ColumnMaker<A>, pending = 0): ColumnSpec<A> => ({ make, bytesPerRow: make.BYTES_PER_ELEMENT, pending })

/** Every column of an attempt. */
export const ATTEMPT_COLUMNS = {
  kind: column(Uint8Array),
  opId: column(Int32Array),
  user: column(Int32Array),
  video: column(Int32Array),
  process: column(Int32Array),
  region: column(Uint8Array),
  attempt: column(Uint8Array),
  failover: column(Uint8Array),
  invokeMs: column(Float64Array),
  completeMs: column(Float64Array, Infinity),
  outcome: column(Uint8Array, Outcome.Pending),
  error: column(Uint8Array),
  failure: column(Uint8Array),
  latencyMs: column(Float32Array),
  likeCount: column(Int32Array, -1),
  viewCount: column(Int32Array, -1),
  uniqueViewers: column(Int32Array, -1),
  /** -1 when the attempt returned no liked flag. */
  liked: column(Int8Array, -1),
  stale: column(Uint8Array),
  asOfMs: column(Float64Array, Number.NaN),
  /** When the attempt was meant to be sent (open model); NaN when the same as invokeMs. */
  intendedMs: column(Float64Array, Number.NaN),
} as const

export type ColumnName = keyof typeof ATTEMPT_COLUMNS
export type AttemptColumns = { [K in ColumnName]: InstanceType<(typeof ATTEMPT_COLUMNS)[K]['make']> }

// Widest first, so that every column starts aligned to its element size (rows are a power of two).
const COLUMN_NAMES = (Object.keys(ATTEMPT_COLUMNS) as ColumnName[]).sort((a, b) => ATTEMPT_COLUMNS[b].bytesPerRow - ATTEMPT_COLUMNS[a].bytesPerRow)

/** Bytes one attempt takes in the columns. */
export const BYTES_PER_ATTEMPT = COLUMN_NAMES.reduce((sum, name) => sum + ATTEMPT_COLUMNS[name].bytesPerRow, 0)

/** A chunk's columns and the one buffer under them all (what is written out and read back). */
export interface ColumnsChunk {
  readonly columns: AttemptColumns
  readonly bytes: Uint8Array
}

/**
 * Columns of `rows` rows (a power of two, at least 8) in one buffer, every row holding a pending
 * attempt's values, so `invoke` writes only what the caller gives (a fill streams through memory;
 * millions of scattered stores of the same defaults do not).
 */
export function allocateChunk(rows: number): ColumnsChunk {
  const buffer = new ArrayBuffer(rows * BYTES_PER_ATTEMPT)
  // A copy of the table's shape, each property then replaced: an object grown one computed key at
  // a time past a dozen properties turns into a dictionary, and every column read pays a lookup.
  const columns: Record<ColumnName, ColumnArray | ColumnSpec<ColumnArray>> = { ...ATTEMPT_COLUMNS }
  let offset = 0
  for (const name of COLUMN_NAMES) {
    const spec: ColumnSpec<ColumnArray> = ATTEMPT_COLUMNS[name]
    const view = new spec.make(buffer, offset, rows)
    if (spec.pending !== 0) view.fill(spec.pending)
    columns[name] = view
    offset += rows * spec.bytesPerRow
  }
  // Every property of the table was replaced by the array its spec makes.
  return { columns: columns as AttemptColumns, bytes: new Uint8Array(buffer) }
}
