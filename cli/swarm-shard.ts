// A swarm split over machines (pure): `--shard i/n` gives shard i the runs r with r mod n = i - 1,
// and each run keeps its seed swarmRunSeed(S, r), so a run is the same whichever shard runs it.
// Round robin rather than contiguous blocks: shards that a time limit cuts at about the same
// point together still cover a prefix of the swarm (runs 0..m), as one machine cut there would,
// and every shard draws from the whole swarm rather than one stretch of it. A shard writes a
// manifest (what it is part of, what it ran, what it did not reach); swarm-merge reads them.
import { UsageError } from '../scenarios/errors.ts'
import { swarmRunSeed } from '../scenarios/swarm.ts'

export const SHARD_MANIFEST_FILE = 'swarm-shard.json'
export const SHARD_MANIFEST_FORMAT = 'likestorm-swarm-shard/1'
export const SHARD_ASSIGNMENT = 'round-robin: run r goes to shard (r mod n) + 1'

/** The most shards a swarm splits into (a bound on the merge's bookkeeping). */
export const SHARDS_MAX = 10_000

export interface Shard {
  /** 1-based, as written on the command line. */
  readonly index: number
  readonly count: number
}

/** `--shard i/n`, 1 ≤ i ≤ n ≤ SHARDS_MAX. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text)
  const index = Number(match?.[1])
  const count = Number(match?.[2])
  if (match === null || !(count >= 1 && count <= SHARDS_MAX) || !(index >= 1 && index <= count)) {
    throw new UsageError('LS_BAD_FLAG', `--shard must be i/n, shard i of n with 1 ≤ i ≤ n ≤ ${SHARDS_MAX} (e.g. 2/4), got ${JSON.stringify(text)}`)
  }
  return { index, count }
}

/** The run indices (0-based, ascending) shard `shard` runs of a swarm of `runs` runs. */
export function shardRuns(runs: number, { index, count }: Shard): number[] {
  const mine: number[] = []
  for (let run = index - 1; run < runs; run += count) mine.push(run)
  return mine
}

/** One run a shard finished. */
export interface ShardRun {
  readonly run: number
  readonly seed: number
  readonly verdict: 'pass' | 'fail' | 'inconclusive'
  readonly failed: readonly string[]
  readonly replay: string
  /** The run's result.json, relative to the shard's folder; written for failing runs only, as in an unsharded swarm. */
  readonly result?: string
}

export interface ShardStop {
  readonly kind: 'time-limit' | 'signal'
  readonly detail: string
}

/** swarm-shard.json: which swarm the shard belongs to, what it ran and what it did not reach. */
export interface ShardManifest {
  readonly format: typeof SHARD_MANIFEST_FORMAT
  readonly tool: { readonly name: 'likestorm'; readonly version: string; readonly code: string }
  readonly swarm: { readonly runs: number; readonly seed: number; readonly strategy: string; readonly shards: number }
  readonly shard: number
  readonly assignment: typeof SHARD_ASSIGNMENT
  /** False while the shard runs: a shard killed outright (SIGKILL, a lost machine) leaves it false. */
  readonly finished: boolean
  readonly stoppedBy: ShardStop | null
  readonly ran: readonly ShardRun[]
  readonly notReached: readonly { readonly run: number; readonly seed: number }[]
}

export function shardManifest(
  { tool, swarm, shard, ran, stoppedBy, finished }: Pick<ShardManifest, 'tool' | 'swarm' | 'shard' | 'ran' | 'stoppedBy' | 'finished'>,
): ShardManifest {
  const done = new Set(ran.map((entry) => entry.run))
  const notReached = shardRuns(swarm.runs, { index: shard, count: swarm.shards })
    .filter((run) => !done.has(run))
    .map((run) => ({ run, seed: swarmRunSeed(swarm.seed, run) }))
  return { format: SHARD_MANIFEST_FORMAT, tool, swarm, shard, assignment: SHARD_ASSIGNMENT, finished, stoppedBy, ran, notReached }
}
