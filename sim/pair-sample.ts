// Which (user, video) pairs a big run's final like states are read on, when there are too many to
// read them all (a target without liked lists answers one pair per request): a simple random
// sample, without replacement, of exactly `sizeMax` of them, drawn from a named stream of the
// run's seed. Every pair is equally likely to be in it, whatever its history: the checks judge
// the sample as an estimate of the whole (a loss rate among the pairs read is one among all), and
// a sample that took the pairs the history says are surely liked first would over-represent them
// and starve last-intent of the pairs that must not be liked, where resurrections show.
import type { RandomStream } from './random-stream.ts'

/**
 * `sizeMax` of the pairs, chosen uniformly (a partial Fisher–Yates shuffle: `sizeMax` draws),
 * ascending; all of them when there are no more than that. The same pairs, stream and size
 * always give the same sample.
 */
export function samplePairs(pairs: readonly number[], { sizeMax, random }: { sizeMax: number; random: RandomStream }): number[] {
  // Sorted first so that the sample depends on the set of pairs, not on the order it came in.
  const pool = [...pairs].sort((a, b) => a - b)
  if (pool.length <= sizeMax) return pool
  for (let i = 0; i < sizeMax; i++) {
    const j = i + random.int(pool.length - i)
    const picked = pool[j] as number
    pool[j] = pool[i] as number
    pool[i] = picked
  }
  return pool.slice(0, sizeMax).sort((a, b) => a - b)
}
