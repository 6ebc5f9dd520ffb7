// The likes the platform held before the run, as three columns in time order instead of an object
// per like (16 bytes a like instead of ~40; issue 20). Iterating gives one record at a time, made as
// it is read, so readers that walk them in order need nothing else.

export interface ImportedLikeRecord {
  readonly user: number
  readonly video: number
  readonly atMs: number
}

export class ImportedLikes implements Iterable<ImportedLikeRecord> {
  readonly user: Int32Array
  readonly video: Int32Array
  readonly atMs: Float64Array

  /** The likes in the order given, sorted by time (stable: likes at the same time keep their order). */
  constructor(likes: { readonly user: readonly number[]; readonly video: readonly number[]; readonly atMs: readonly number[] }) {
    const count = likes.user.length
    if (likes.video.length !== count || likes.atMs.length !== count) throw new RangeError('ImportedLikes: columns of different lengths')
    const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => (likes.atMs[a] as number) - (likes.atMs[b] as number))
    this.user = Int32Array.from(order, (i) => likes.user[i] as number)
    this.video = Int32Array.from(order, (i) => likes.video[i] as number)
    this.atMs = Float64Array.from(order, (i) => likes.atMs[i] as number)
  }

  get length(): number {
    return this.user.length
  }

  *[Symbol.iterator](): Iterator<ImportedLikeRecord> {
    for (let i = 0; i < this.user.length; i++) yield { user: this.user[i] as number, video: this.video[i] as number, atMs: this.atMs[i] as number }
  }
}
