// Operations column-wise, by row: where the traffic generator keeps what it has planned but not
// yet emitted (one row per calendar-queue slot). Tens of thousands of pending follow-ups then
// cost a few typed arrays instead of an object each, which the garbage collector would otherwise
// copy from generation to generation while they wait.
import type { OpKind, OperationRecord } from './operation.ts'

const NONE = -1

export class OperationColumns {
  atMs: Float64Array
  kind: Uint8Array
  user: Int32Array
  home: Uint8Array
  video: Int32Array
  device: Uint8Array
  watchMs: Int32Array
  session: Float64Array
  route: Int8Array
  /** Id of the logical operation whose key a network duplicate carries; -1 for an original. */
  keyId: Float64Array
  /** Row of this operation's network duplicate, -1 when it has none. */
  duplicateRow: Int32Array

  constructor(rows: number) {
    this.atMs = new Float64Array(rows)
    this.kind = new Uint8Array(rows)
    this.user = new Int32Array(rows)
    this.home = new Uint8Array(rows)
    this.video = new Int32Array(rows)
    this.device = new Uint8Array(rows)
    this.watchMs = new Int32Array(rows)
    this.session = new Float64Array(rows)
    this.route = new Int8Array(rows)
    this.keyId = new Float64Array(rows)
    this.duplicateRow = new Int32Array(rows)
  }

  get rows(): number {
    return this.atMs.length
  }

  /** Grow (doubling) until `rows` rows fit. */
  ensure(rows: number): void {
    if (rows <= this.atMs.length) return
    let size = this.atMs.length * 2
    while (size < rows) size *= 2
    this.atMs = grown(this.atMs, new Float64Array(size))
    this.kind = grown(this.kind, new Uint8Array(size))
    this.user = grown(this.user, new Int32Array(size))
    this.home = grown(this.home, new Uint8Array(size))
    this.video = grown(this.video, new Int32Array(size))
    this.device = grown(this.device, new Uint8Array(size))
    this.watchMs = grown(this.watchMs, new Int32Array(size))
    this.session = grown(this.session, new Float64Array(size))
    this.route = grown(this.route, new Int8Array(size))
    this.keyId = grown(this.keyId, new Float64Array(size))
    this.duplicateRow = grown(this.duplicateRow, new Int32Array(size))
  }

  write(row: number, atMs: number, kind: number, user: number, home: number, video: number, device: number, watchMs: number, session: number, route: number): void {
    this.atMs[row] = atMs
    this.kind[row] = kind
    this.user[row] = user
    this.home[row] = home
    this.video[row] = video
    this.device[row] = device
    this.watchMs[row] = watchMs
    this.session[row] = session
    this.route[row] = route
    this.keyId[row] = NONE
    this.duplicateRow[row] = NONE
  }

  /** Fill `out` from a row, as the operation with this id. */
  read(row: number, id: number, out: OperationRecord): void {
    const keyId = this.keyId[row] as number
    out.id = id
    out.atMs = this.atMs[row] as number
    out.kind = this.kind[row] as OpKind
    out.user = this.user[row] as number
    out.home = this.home[row] as number
    out.video = this.video[row] as number
    out.device = this.device[row] as number
    out.watchMs = this.watchMs[row] as number
    out.session = this.session[row] as number
    out.route = this.route[row] as number
    out.keyId = keyId === NONE ? id : keyId
  }
}

function grown<T extends Float64Array | Int32Array | Int8Array | Uint8Array>(old: T, next: T): T {
  next.set(old as never)
  return next
}
