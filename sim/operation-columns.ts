// Operations column-wise, by row: where the traffic generator keeps what it has planned but not
// yet emitted (one row per calendar-queue slot). Tens of thousands of pending follow-ups then
// cost a few typed arrays instead of an object each, which the garbage collector would otherwise
// copy from generation to generation while they wait. One table (OPERATION_COLUMNS) gives the
// columns; rows are written from and read into an OperationRecord.
import type { OpKind, OperationRecord, PlannedOperation } from './operation.ts'

const NONE = -1

type ColumnArray = Float64Array | Int32Array | Int8Array | Uint8Array

/** Every column of a planned operation, with the typed array that holds it. */
export const OPERATION_COLUMNS = {
  atMs: Float64Array,
  kind: Uint8Array,
  user: Int32Array,
  home: Uint8Array,
  video: Int32Array,
  device: Uint8Array,
  watchMs: Int32Array,
  session: Float64Array,
  route: Int8Array,
  /** Id of the logical operation whose key a network duplicate carries; -1 for an original. */
  keyId: Float64Array,
  /** Row of this operation's network duplicate, -1 when it has none. */
  duplicateRow: Int32Array,
} as const

type ColumnName = keyof typeof OPERATION_COLUMNS
type Columns = { [K in ColumnName]: InstanceType<(typeof OPERATION_COLUMNS)[K]> }
const COLUMN_NAMES = Object.keys(OPERATION_COLUMNS) as ColumnName[]

function allocate(rows: number, from?: Columns): Columns {
  // A copy of the table's shape, each property then replaced: an object grown one computed key at
  // a time past a dozen properties turns into a dictionary, and every column read pays a lookup.
  const columns: Record<ColumnName, ColumnArray | (new (rows: number) => ColumnArray)> = { ...OPERATION_COLUMNS }
  for (const name of COLUMN_NAMES) {
    const make: new (rows: number) => ColumnArray = OPERATION_COLUMNS[name]
    const next = new make(rows)
    if (from !== undefined) next.set(from[name])
    columns[name] = next
  }
  // Every property of the table was replaced by the array it names.
  return columns as Columns
}

export class OperationColumns {
  // Rows below `rows` always hold a value, so the reads below take them as numbers.
  private columns: Columns

  constructor(rows: number) {
    this.columns = allocate(rows)
  }

  get rows(): number {
    return this.columns.atMs.length
  }

  /** Grow (doubling) until `rows` rows fit. */
  ensure(rows: number): void {
    if (rows <= this.rows) return
    let size = this.rows * 2
    while (size < rows) size *= 2
    this.columns = allocate(size, this.columns)
  }

  /** Plan an operation in `row`: an original (its own key), with no duplicate yet. */
  write(row: number, op: PlannedOperation): void {
    const c = this.columns
    c.atMs[row] = op.atMs
    c.kind[row] = op.kind
    c.user[row] = op.user
    c.home[row] = op.home
    c.video[row] = op.video
    c.device[row] = op.device
    c.watchMs[row] = op.watchMs
    c.session[row] = op.session
    c.route[row] = op.route
    c.keyId[row] = NONE
    c.duplicateRow[row] = NONE
  }

  /** Fill `out` from a row, as the operation with this id. */
  read(row: number, id: number, out: OperationRecord): void {
    const c = this.columns
    const keyId = c.keyId[row] as number
    out.id = id
    out.atMs = c.atMs[row] as number
    out.kind = c.kind[row] as OpKind
    out.user = c.user[row] as number
    out.home = c.home[row] as number
    out.video = c.video[row] as number
    out.device = c.device[row] as number
    out.watchMs = c.watchMs[row] as number
    out.session = c.session[row] as number
    out.route = c.route[row] as number
    out.keyId = keyId === NONE ? id : keyId
  }

  atMsOf(row: number): number {
    return this.columns.atMs[row] as number
  }

  /** The row planned as this row's network duplicate, -1 when it has none. */
  duplicateOf(row: number): number {
    return this.columns.duplicateRow[row] as number
  }

  /** `duplicate` is a network copy of the operation in `row`: it will carry that operation's key. */
  markDuplicate(row: number, duplicate: number): void {
    this.columns.duplicateRow[row] = duplicate
  }

  /** The operation in `row` carries the key of the logical operation `keyId` (its original, once emitted). */
  giveKey(row: number, keyId: number): void {
    this.columns.keyId[row] = keyId
  }
}
