// Vose's alias method: O(n) build, O(1) weighted sampling. Used for Zipf video popularity and
// heavy-tailed user activity, where the sim draws millions of times.
//
// A draw reads one column's probability and, half the time, its alias: with a few hundred
// thousand users those columns are far larger than a core's cache, so each column keeps both,
// and the outcomes themselves, side by side in one 16-byte record (one trip to memory per draw).
// A table can also answer with mapped outcomes (`mapOutcomes`): a user id instead of a position
// in a member list, a video instead of a popularity rank, with the very same draws.
//
// The columns live in shared memory: the thread that generates a big run's traffic
// (scenarios/run/traffic-pipe) draws from the very tables the population built, not from copies
// (a table of a region's users is 16 bytes a user: 13 MB a copy at soak --scale 40; issue 20).
import type { RandomStream } from './rng.ts'

/** Column c: probability as a double (word 2c of the Float64Array view), outcome and alias
 *  outcome as integers (words 4c + 2 and 4c + 3 of the Int32Array view). */
const F64_PER_COLUMN = 2
const I32_PER_COLUMN = 4
const AT_OUTCOME = 2
const AT_ALIAS_OUTCOME = 3

/** A table's column records (see `AliasTable.columns`): enough to rebuild it, on another thread say. */
export interface AliasColumns {
  readonly columns: Float64Array
}

export class AliasTable implements AliasColumns {
  readonly size: number
  private readonly f64: Float64Array
  private readonly i32: Int32Array

  /**
   * A table drawing index i with probability weights[i] / sum; or a copy of another table (or of
   * its columns), answering outcomes[i] where it answers i when `outcomes` are given; `share`:
   * the very columns given, not a copy (see `sharing`).
   */
  constructor(weights: ArrayLike<number> | AliasColumns, outcomes?: ArrayLike<number>, { share = false }: { share?: boolean } = {}) {
    const copied = 'columns' in weights
    if (share && outcomes !== undefined) throw new Error('alias table: a table sharing its columns cannot map them')
    this.f64 = !copied ? buildColumns(weights) : share ? weights.columns : sharedCopy(weights.columns)
    this.size = this.f64.length / F64_PER_COLUMN
    this.i32 = new Int32Array(this.f64.buffer, this.f64.byteOffset, this.f64.length * 2)
    if (outcomes === undefined) return
    if (outcomes.length !== this.size) throw new Error(`alias table: ${outcomes.length} outcomes for ${this.size} weights`)
    for (let c = 0; c < this.size; c++) {
      const at = c * I32_PER_COLUMN
      this.i32[at + AT_OUTCOME] = outcomes[this.i32[at + AT_OUTCOME] as number] as number
      this.i32[at + AT_ALIAS_OUTCOME] = outcomes[this.i32[at + AT_ALIAS_OUTCOME] as number] as number
    }
  }

  /**
   * A table drawing from these very columns, nothing copied (columns another thread built and
   * shared: a table never writes its columns once it is built).
   */
  static sharing(columns: Float64Array): AliasTable {
    return new AliasTable({ columns }, undefined, { share: true })
  }

  /** The column records: probability, outcome and alias outcome of each column. */
  get columns(): Float64Array {
    return this.f64
  }

  /** A draw: the index of a weight (or, for a mapped table, the outcome at that index). */
  sample(stream: RandomStream): number {
    const u = stream.next() * this.size
    const column = Math.floor(u)
    return u - column < (this.f64[column * F64_PER_COLUMN] as number)
      ? (this.i32[column * I32_PER_COLUMN + AT_OUTCOME] as number)
      : (this.i32[column * I32_PER_COLUMN + AT_ALIAS_OUTCOME] as number)
  }

  /** The same table answering outcomes[i] where this one answers i (integers): same draws, same answers. */
  mapOutcomes(outcomes: ArrayLike<number>): AliasTable {
    return new AliasTable(this, outcomes)
  }
}

/** Vose's construction, as column records of probability, outcome (the column) and alias. */
function buildColumns(weights: ArrayLike<number>): Float64Array {
  const n = weights.length
  if (n === 0) throw new Error('alias table: no weights')
  let total = 0
  for (let i = 0; i < n; i++) {
    const w = weights[i] as number
    if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`alias table: weight ${i} is ${w}`)
    total += w
  }
  if (total <= 0) throw new Error('alias table: weights sum to zero')
  const probability = new Float64Array(n)
  const alias = new Int32Array(n)
  const scaled = new Float64Array(n)
  const small: number[] = []
  const large: number[] = []
  for (let i = 0; i < n; i++) {
    scaled[i] = ((weights[i] as number) * n) / total
    if ((scaled[i] as number) < 1) small.push(i)
    else large.push(i)
  }
  while (small.length > 0 && large.length > 0) {
    const s = small.pop() as number
    const l = large.pop() as number
    probability[s] = scaled[s] as number
    alias[s] = l
    scaled[l] = (scaled[l] as number) + (scaled[s] as number) - 1
    if ((scaled[l] as number) < 1) small.push(l)
    else large.push(l)
  }
  for (const i of large) probability[i] = 1
  for (const i of small) probability[i] = 1 // numerical leftovers
  const f64 = sharedColumns(n)
  const i32 = new Int32Array(f64.buffer)
  for (let i = 0; i < n; i++) {
    f64[i * F64_PER_COLUMN] = probability[i] as number
    i32[i * I32_PER_COLUMN + AT_OUTCOME] = i
    i32[i * I32_PER_COLUMN + AT_ALIAS_OUTCOME] = alias[i] as number
  }
  return f64
}

/** Column records for `n` columns in shared memory (see the header). */
function sharedColumns(n: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(n * F64_PER_COLUMN * Float64Array.BYTES_PER_ELEMENT))
}

function sharedCopy(columns: Float64Array): Float64Array {
  const copy = sharedColumns(columns.length / F64_PER_COLUMN)
  copy.set(columns)
  return copy
}
