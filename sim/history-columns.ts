// The history's layout: one table names each column of an attempt, its typed array and the value
// it holds before the attempt is answered. The history allocates, grows and pre-fills its columns
// from this table alone, and no module outside sim/history.ts sees them (History's accessors do).

import { Outcome } from './outcome.ts'

type ColumnArray = Uint8Array | Int8Array | Int32Array | Float32Array | Float64Array

interface ColumnSpec<A extends ColumnArray> {
  readonly make: new (rows: number) => A
  /** What the row holds until the attempt's answer writes it (a pending attempt's value). */
  readonly pending: number
}

const column = <A extends ColumnArray>(make: new (rows: number) => A, pending = 0): ColumnSpec<A> => ({ make, pending })

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

const COLUMN_NAMES = Object.keys(ATTEMPT_COLUMNS) as ColumnName[]

/**
 * Columns of `rows` rows: the first `kept` rows copied from `from` (growing), the rest holding a
 * pending attempt's values, so `invoke` writes only what the caller gives (a fill streams through
 * memory; millions of scattered stores of the same defaults do not).
 */
export function allocateColumns(rows: number, from?: AttemptColumns, kept = 0): AttemptColumns {
  // A copy of the table's shape, each property then replaced: an object grown one computed key at
  // a time past a dozen properties turns into a dictionary, and every column read pays a lookup.
  const columns: Record<ColumnName, ColumnArray | ColumnSpec<ColumnArray>> = { ...ATTEMPT_COLUMNS }
  for (const name of COLUMN_NAMES) {
    const spec: ColumnSpec<ColumnArray> = ATTEMPT_COLUMNS[name]
    const next = new spec.make(rows)
    if (from !== undefined) next.set(from[name].subarray(0, kept))
    if (spec.pending !== 0) next.fill(spec.pending, kept)
    columns[name] = next
  }
  // Every property of the table was replaced by the array its spec makes.
  return columns as AttemptColumns
}
