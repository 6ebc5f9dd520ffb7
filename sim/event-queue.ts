// The virtual clock's event queue: a binary min-heap of timed items, ties broken by insertion
// order so that a run is deterministic. Items carry their own time (`atMs`).

export interface Timed {
  readonly atMs: number
}

export class EventQueue<T extends Timed> {
  private readonly items: T[] = []
  private readonly seqs: number[] = []
  private inserted = 0

  get size(): number {
    return this.items.length
  }

  /** Time of the earliest item, Infinity when empty. */
  peekTimeMs(): number {
    const first = this.items[0]
    return first === undefined ? Infinity : first.atMs
  }

  peek(): T | undefined {
    return this.items[0]
  }

  push(item: T): void {
    const items = this.items
    const seqs = this.seqs
    let index = items.length
    const seq = this.inserted++
    items.push(item)
    seqs.push(seq)
    while (index > 0) {
      const parent = (index - 1) >> 1
      const p = items[parent] as T
      if (p.atMs < item.atMs || (p.atMs === item.atMs && (seqs[parent] as number) < seq)) break
      items[index] = p
      seqs[index] = seqs[parent] as number
      index = parent
    }
    items[index] = item
    seqs[index] = seq
  }

  pop(): T | undefined {
    const items = this.items
    const seqs = this.seqs
    const n = items.length
    if (n === 0) return undefined
    const top = items[0] as T
    const last = items.pop() as T
    const lastSeq = seqs.pop() as number
    if (n === 1) return top
    const size = n - 1
    let index = 0
    for (;;) {
      const left = index * 2 + 1
      if (left >= size) break
      const right = left + 1
      let child = left
      if (right < size) {
        const l = items[left] as T
        const r = items[right] as T
        if (r.atMs < l.atMs || (r.atMs === l.atMs && (seqs[right] as number) < (seqs[left] as number))) child = right
      }
      const c = items[child] as T
      if (last.atMs < c.atMs || (last.atMs === c.atMs && lastSeq < (seqs[child] as number))) break
      items[index] = c
      seqs[index] = seqs[child] as number
      index = child
    }
    items[index] = last
    seqs[index] = lastSeq
    return top
  }
}
