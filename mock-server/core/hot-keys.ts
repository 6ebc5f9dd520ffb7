// Contention on a video's counter: every write to a video's count (like, unlike, view) goes
// through that key, which takes `writesPerS` per shard. A single counter row (one shard) is the
// "hot key" that makes a viral video slow to update (Firestore: ~1 write/s per document; App
// Engine: ~5/s per entity); sharded counters multiply the key's capacity by the shard count.
// A fluid queue per video, in typed arrays: the returned wait is what the write queues behind.

export class HotKeys {
  private readonly workMs: number
  private backlogMs = new Float64Array(0)
  private lastMs = new Float64Array(0)

  constructor({ writesPerS, shards }: { writesPerS: number; shards: number }) {
    this.workMs = 1000 / (writesPerS * shards)
  }

  /** Queue a write to the video's counter; returns how long it waits. */
  write(video: number, nowMs: number): number {
    if (video >= this.backlogMs.length) this.grow(video + 1)
    const elapsed = nowMs - (this.lastMs[video] as number)
    let backlog = this.backlogMs[video] as number
    if (elapsed > 0) {
      backlog = backlog > elapsed ? backlog - elapsed : 0
      this.lastMs[video] = nowMs
    }
    this.backlogMs[video] = backlog + this.workMs
    return backlog
  }

  reset(): void {
    this.backlogMs.fill(0)
  }

  private grow(size: number): void {
    const capacity = Math.max(size, this.backlogMs.length * 2, 1024)
    const backlog = new Float64Array(capacity)
    backlog.set(this.backlogMs)
    const last = new Float64Array(capacity).fill(-Infinity)
    last.set(this.lastMs)
    this.backlogMs = backlog
    this.lastMs = last
  }
}
