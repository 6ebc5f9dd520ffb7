// The shards of one swarm back into one verdict (pure): every manifest must name the same swarm
// (runs, seed, strategy, shard count, code), every shard at most once, and each must list exactly
// its own runs with their seeds. Runs nobody reported (a shard not given, stopped, or killed) make
// the verdict incomplete, never a pass; a failure in what ran is a failure all the same.
import { Ajv } from 'ajv'
import { UsageError } from '../scenarios/errors.ts'
import { swarmRunSeed } from '../scenarios/swarm.ts'
import { EXIT } from './exit-codes.ts'
import { SHARD_ASSIGNMENT, SHARD_MANIFEST_FORMAT, SHARDS_MAX, shardRuns, type ShardManifest, type ShardRun } from './swarm-shard.ts'

const RUN_ID = { type: 'object', required: ['run', 'seed'], properties: { run: { type: 'integer', minimum: 0 }, seed: { type: 'integer', minimum: 0 } } }

const MANIFEST_SCHEMA = {
  type: 'object',
  required: ['format', 'tool', 'swarm', 'shard', 'assignment', 'finished', 'stoppedBy', 'ran', 'notReached'],
  properties: {
    format: { const: SHARD_MANIFEST_FORMAT },
    tool: { type: 'object', required: ['name', 'version', 'code'], properties: { name: { const: 'likestorm' }, version: { type: 'string' }, code: { type: 'string' } } },
    swarm: {
      type: 'object',
      required: ['runs', 'seed', 'strategy', 'shards'],
      properties: { runs: { type: 'integer', minimum: 1 }, seed: { type: 'integer', minimum: 0 }, strategy: { type: 'string' }, shards: { type: 'integer', minimum: 1, maximum: SHARDS_MAX } },
    },
    shard: { type: 'integer', minimum: 1 },
    assignment: { const: SHARD_ASSIGNMENT },
    finished: { type: 'boolean' },
    stoppedBy: { anyOf: [{ type: 'null' }, { type: 'object', required: ['kind', 'detail'], properties: { kind: { enum: ['time-limit', 'signal'] }, detail: { type: 'string' } } }] },
    ran: {
      type: 'array',
      items: {
        ...RUN_ID,
        required: ['run', 'seed', 'verdict', 'failed', 'replay'],
        properties: { ...RUN_ID.properties, verdict: { enum: ['pass', 'fail', 'inconclusive'] }, failed: { type: 'array', items: { type: 'string' } }, replay: { type: 'string' }, result: { type: 'string' } },
      },
    },
    notReached: { type: 'array', items: RUN_ID },
  },
} as const

const validate = new Ajv({ allErrors: false }).compile(MANIFEST_SCHEMA)

/** A manifest read from `source` (a path, for messages), checked against its format. */
export function parseShardManifest(text: string, source: string): ShardManifest {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new UsageError('LS_SWARM_SHARD_INVALID', `likestorm swarm-merge: ${source} is not JSON (${(error as Error).message})`)
  }
  if (!validate(value)) {
    const problem = validate.errors?.[0]
    throw new UsageError('LS_SWARM_SHARD_INVALID', `likestorm swarm-merge: ${source} is not a swarm shard manifest (${problem?.instancePath || '/'} ${problem?.message ?? 'invalid'})`)
  }
  return value as unknown as ShardManifest
}

export interface SourcedManifest {
  /** Where it came from (the shard's folder), for messages and its result files. */
  readonly source: string
  readonly manifest: ShardManifest
}

/** Why some runs have no outcome: which shard, and what kept it. */
export interface MissingRuns {
  readonly shard: number
  readonly reason: string
  readonly runs: readonly number[]
}

export interface MergedSwarm {
  readonly swarm: ShardManifest['swarm']
  readonly tool: ShardManifest['tool']
  /** Every run reported, by run index. */
  readonly ran: readonly (ShardRun & { readonly source: string })[]
  readonly failed: readonly (ShardRun & { readonly source: string })[]
  readonly missing: readonly MissingRuns[]
  readonly exitCode: number
  readonly verdict: 'PASS' | 'FAIL' | 'INCOMPLETE' | 'INCONCLUSIVE'
}

/** The one swarm the shards make, or a usage error (one line, a code) when they are not the shards of one swarm. */
export function mergeShards(shards: readonly SourcedManifest[]): MergedSwarm {
  const first = shards[0]
  if (first === undefined) throw new UsageError('LS_BAD_USAGE', 'likestorm swarm-merge: name the folders of the shards (e.g. out/shard-1 out/shard-2)')
  for (const other of shards.slice(1)) assertSameSwarm(first, other)
  const { swarm } = first.manifest
  const bySlot = new Map<number, SourcedManifest>()
  for (const entry of shards) {
    const earlier = bySlot.get(entry.manifest.shard)
    if (entry.manifest.shard > swarm.shards) throw new UsageError('LS_SWARM_SHARD_INVALID', `likestorm swarm-merge: ${entry.source} says shard ${entry.manifest.shard} of ${swarm.shards}`)
    if (earlier !== undefined) throw new UsageError('LS_SWARM_DUPLICATE', `likestorm swarm-merge: shard ${entry.manifest.shard}/${swarm.shards} is given twice (${earlier.source} and ${entry.source}); give each shard once`)
    bySlot.set(entry.manifest.shard, entry)
    assertOwnRuns(entry)
  }
  const ran = [...bySlot.values()].flatMap(({ source, manifest }) => manifest.ran.map((run) => ({ ...run, source }))).sort((a, b) => a.run - b.run)
  const missing: MissingRuns[] = []
  for (let shard = 1; shard <= swarm.shards; shard++) {
    const entry = bySlot.get(shard)
    const runs = entry === undefined ? shardRuns(swarm.runs, { index: shard, count: swarm.shards }) : entry.manifest.notReached.map((run) => run.run)
    if (runs.length > 0) missing.push({ shard, reason: entry === undefined ? 'not given' : stopReason(entry.manifest), runs })
  }
  const failed = ran.filter((run) => run.failed.length > 0)
  const boundReached = [...bySlot.values()].some(({ manifest }) => manifest.stoppedBy?.kind === 'time-limit' && manifest.notReached.length > 0)
  // exitForRuns' precedence: a failure, then a bound reached, then what could not be judged.
  const exitCode = failed.length > 0 ? EXIT.CHECK_FAILED : boundReached ? EXIT.BOUND_REACHED : missing.length > 0 ? EXIT.INCONCLUSIVE : EXIT.OK
  const verdict = ({ [EXIT.CHECK_FAILED]: 'FAIL', [EXIT.BOUND_REACHED]: 'INCOMPLETE', [EXIT.INCONCLUSIVE]: 'INCONCLUSIVE', [EXIT.OK]: 'PASS' } as const)[exitCode]
  return { swarm, tool: first.manifest.tool, ran, failed, missing, exitCode, verdict }
}

function stopReason(manifest: ShardManifest): string {
  if (manifest.stoppedBy?.kind === 'time-limit') return `stopped at its time limit of ${manifest.stoppedBy.detail}`
  if (manifest.stoppedBy?.kind === 'signal') return `stopped by ${manifest.stoppedBy.detail}`
  return manifest.finished ? 'did not reach them' : 'never finished (killed, or still running)'
}

function assertSameSwarm(a: SourcedManifest, b: SourcedManifest): void {
  const fields: Array<[string, string | number, string | number]> = [
    ['--runs', a.manifest.swarm.runs, b.manifest.swarm.runs],
    ['--seed', a.manifest.swarm.seed, b.manifest.swarm.seed],
    ['--strategy', a.manifest.swarm.strategy, b.manifest.swarm.strategy],
    ['the shard count n of --shard i/n', a.manifest.swarm.shards, b.manifest.swarm.shards],
    ['the likestorm version', a.manifest.tool.version, b.manifest.tool.version],
    ['the code (its fingerprint)', a.manifest.tool.code, b.manifest.tool.code],
  ]
  const differs = fields.find(([, x, y]) => x !== y)
  if (differs === undefined) return
  const [what, x, y] = differs
  throw new UsageError('LS_SWARM_MISMATCH', `likestorm swarm-merge: ${a.source} and ${b.source} are shards of different swarms: ${what} differs (${x} vs ${y}); merge the shards of one swarm`)
}

/** A shard lists exactly its own runs, once each, with the seeds the swarm's seed gives them. */
function assertOwnRuns({ source, manifest }: SourcedManifest): void {
  const { swarm, shard } = manifest
  const listed = [...manifest.ran, ...manifest.notReached].map((entry) => entry.run).sort((a, b) => a - b)
  const own = shardRuns(swarm.runs, { index: shard, count: swarm.shards })
  const wrong = [...manifest.ran, ...manifest.notReached].find((entry) => entry.seed !== swarmRunSeed(swarm.seed, entry.run))
  if (listed.join() !== own.join() || wrong !== undefined) {
    const detail = wrong !== undefined ? `run ${wrong.run} has seed ${wrong.seed}, not ${swarmRunSeed(swarm.seed, wrong.run)}` : `it lists runs ${summarizeRuns(listed)} rather than ${summarizeRuns(own)}`
    throw new UsageError('LS_SWARM_SHARD_INVALID', `likestorm swarm-merge: ${source} is not shard ${shard}/${swarm.shards} of this swarm as written: ${detail}`)
  }
}

/** Run indices for a line: the first `shown`, then how many more. */
export function summarizeRuns(runs: readonly number[], shown = 12): string {
  const head = runs.slice(0, shown).join(', ')
  return runs.length > shown ? `${head}, … (${runs.length} in all)` : head === '' ? 'none' : head
}
