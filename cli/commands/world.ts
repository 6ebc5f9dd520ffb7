// likestorm world export <scenario|file> --out FILE [--seed N] [--scale F]
// The world a run of the scenario uses, as NDJSON (scenarios/run/world-export.ts): for a team to
// load into their own service before `likestorm run --target`, so that it knows which user created
// which video (notifications) and the likes the world had before the run.
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { temporaryPathFor } from '../../reports/atomic-file.ts'
import { UsageError } from '../../scenarios/errors.ts'
import { prepareRun } from '../../scenarios/run/run-setup.ts'
import { worldHeader, worldLines } from '../../scenarios/run/world-export.ts'
import type { Scenario } from '../../scenarios/scenario.ts'
import { intFlag, numberFlag, parseFlags, type FlagSpec } from '../args.ts'
import { EXIT } from '../exit-codes.ts'
import { scenarioArg } from '../scenario-arg.ts'

export const WORLD_FLAGS = {
  out: { type: 'string', value: 'FILE', help: 'the NDJSON file to write (required; - for standard output)' },
  seed: { type: 'string', value: 'N', help: 'world seed (default 7): the same as the run\'s' },
  scale: { type: 'string', value: 'F', help: 'population multiplier, 0 < F <= 1000 (default 1): the same as the run\'s' },
} as const satisfies FlagSpec

/** Bytes gathered before a write: a world of millions of accounts is written in pieces, never held whole. */
const WRITE_CHUNK_BYTES = 1 << 20

export function worldCommand(argv: readonly string[], io: { out: NodeJS.WritableStream }): Promise<number> {
  const [action, ...rest] = argv
  if (action !== 'export') throw new UsageError('LS_BAD_USAGE', `likestorm world: ${action === undefined ? 'name an action' : `unknown action ${JSON.stringify(action)}`}; e.g. likestorm world export baseline --out world.ndjson`)
  const { values, positionals } = parseFlags(rest, WORLD_FLAGS, 'world export')
  if (positionals.length !== 1) throw new UsageError('LS_BAD_USAGE', 'likestorm world export: name one scenario, e.g. likestorm world export baseline --out world.ndjson')
  if (typeof values.out !== 'string' || values.out === '') throw new UsageError('LS_BAD_FLAG', 'likestorm world export: --out FILE is required (- for standard output)')
  const seed = intFlag(values.seed, '--seed', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 7 })
  const scale = numberFlag(values.scale, '--scale', { min: 0, max: 1000, fallback: 1 })
  const out = values.out
  return scenarioArg(positionals[0] as string, { cwd: process.cwd(), mode: 'http', command: 'world export' }).then(({ scenario }) => exportWorld({ scenario, seed, scale, out }, io))
}

function exportWorld({ scenario, seed, scale, out }: { scenario: Scenario; seed: number; scale: number; out: string }, io: { out: NodeJS.WritableStream }): number {
  const setup = prepareRun({ scenario, seed, scale })
  const header = worldHeader(setup)
  if (out === '-') {
    for (const line of worldLines(setup)) io.out.write(line)
    return EXIT.OK
  }
  writeLinesAtomic(out, worldLines(setup))
  io.out.write(
    `wrote ${out}: the world of ${header.scenario} (seed ${seed}, scale ${scale}): ${count(header.users)} users, ${count(header.videos)} videos with their creators, ${count(header.likes)} seeded likes, regions ${header.regions.join(', ')}\n` +
      `  load it into your service, then: npx likestorm run ${header.scenario} --mode http --seed ${seed}${scale === 1 ? '' : ` --scale ${scale}`} --target URL\n`,
  )
  return EXIT.OK
}

/** Lines to a temporary file renamed over `path` at the end: a reader never sees half a world. */
function writeLinesAtomic(path: string, lines: Iterable<string>): void {
  mkdirSync(dirname(path), { recursive: true })
  const temporary = temporaryPathFor(path)
  const fd = openSync(temporary, 'w')
  let closed = false
  try {
    let chunk = ''
    for (const line of lines) {
      chunk += line
      if (chunk.length >= WRITE_CHUNK_BYTES) {
        writeSync(fd, chunk)
        chunk = ''
      }
    }
    writeSync(fd, chunk)
    closeSync(fd)
    closed = true
    renameSync(temporary, path)
  } catch (error) {
    if (!closed) closeSync(fd)
    rmSync(temporary, { force: true })
    throw error
  }
}

function count(n: number): string {
  return n.toLocaleString('en-US')
}
