// Contention on a video's counter: every write to a video's count (like, unlike, view) goes
// through that key, which takes `writesPerS` per shard. A single counter row (one shard) is the
// "hot key" that makes a viral video slow to update (Firestore: ~1 write/s per document; App
// Engine: ~5/s per entity); sharded counters multiply the key's capacity by the shard count.
// A fluid queue per video, in one typed array (a video's backlog and last update side by side,
// one cache line): the returned wait is what the write queues behind.

export class HotKeys {
  private readonly workMs: number
  /** Video v: backlog at 2v, time of the last update at 2v + 1. */
  private queues = new Float64Array(0)

  constructor({ writesPerS, shards }: { writesPerS: number; shards: number }) {
    this.workMs = 1000 / (writesPerS * shards)
  }

  /** Queue a write to the video's counter; returns how long it waits. */
  write(video: number, nowMs: number): number {
    if (2 * video >= this.queues.length) this.grow(video + 1)
    const queues = this.queues
    const elapsed = nowMs - (queues[2 * video + 1] as number)
    let backlog = queues[2 * video] as number
    if (elapsed > 0) {
      backlog = backlog > elapsed ? backlog - elapsed : 0
      queues[2 * video + 1] = nowMs
    }
    queues[2 * video] = backlog + this.workMs
    return backlog
  }

  reset(): void {
    for (let video = 0; 2 * video < this.queues.length; video++) this.queues[2 * video] = 0
  }

  private grow(size: number): void {
    const capacity = Math.max(size, this.queues.length, 1024)
    const queues = new Float64Array(capacity * 2)
    // New queues are empty and never updated.
    for (let video = 0; video < capacity; video++) queues[2 * video + 1] = -Infinity
    queues.set(this.queues)
    this.queues = queues
  }
}
