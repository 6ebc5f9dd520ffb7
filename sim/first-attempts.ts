// Where each logical operation of some kinds began: the attempt invoked first (the lowest row among
// equals). Kept per operation that has such attempts, in the order of their ids, not per id up to
// the largest: the ids count every operation of the run (reads and views too), so a column per id
// would cost bytes for each of a run's hundreds of millions of operations, where likes are a few
// percent of them.
import type { History } from './history.ts'
import type { OpKind } from './operation.ts'
import { indexOfSorted } from './sorted-search.ts'

export class FirstAttempts {
  /** The operations' ids, ascending and distinct. */
  readonly ops: Int32Array
  /** The row of each operation's first attempt (same positions as ops). */
  readonly rows: Int32Array

  constructor(history: History, kinds: readonly OpKind[]) {
    const wanted = (i: number): boolean => kinds.length === 0 || kinds.includes(history.kindOf(i))
    let count = 0
    for (let i = 0; i < history.length; i++) if (wanted(i)) count++
    const all = new Int32Array(count)
    let k = 0
    for (let i = 0; i < history.length; i++) if (wanted(i)) all[k++] = history.opIdOf(i)
    all.sort()
    let distinct = 0
    for (let j = 0; j < count; j++) if (j === 0 || all[j] !== all[j - 1]) all[distinct++] = all[j] as number
    this.ops = all.slice(0, distinct)
    this.rows = new Int32Array(distinct).fill(-1)
    for (let i = 0; i < history.length; i++) {
      if (!wanted(i)) continue
      const at = this.positionOf(history.opIdOf(i))
      const earlier = this.rows[at] as number
      if (earlier < 0 || history.invokeMsOf(i) < history.invokeMsOf(earlier)) this.rows[at] = i
    }
  }

  get size(): number {
    return this.ops.length
  }

  /** The position of operation `op` in ops, -1 when it has no attempt of these kinds. */
  positionOf(op: number): number {
    return indexOfSorted(this.ops, op)
  }


  /** The row of operation `op`'s first attempt, -1 when it has none of these kinds. */
  rowOf(op: number): number {
    const at = this.positionOf(op)
    return at < 0 ? -1 : (this.rows[at] as number)
  }
}
