// likestorm swarm-merge <dir…>: the shards of one swarm (`swarm --shard i/n`, each in its own
// folder, e.g. downloaded CI artifacts) back into one verdict. Every folder's swarm-shard.json is
// read and checked (one swarm, each shard once, each run once: swarm-merge.ts) before anything is
// written; then the failed runs' result.json files are copied, byte for byte, to DIR/<run>/ with
// their reports, an index.html over them, and summary.md for the whole swarm. The exit code is the
// one the swarm would have given on one machine; runs nobody reported never make a pass.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from '../../reports/atomic-file.ts'
import { REPORT_FILES, writeIndex, writeReports, type ReportPaths } from '../../reports/write-reports.ts'
import type { RunResult } from '../../result/result.ts'
import { UsageError } from '../../scenarios/errors.ts'
import { parseFlags, stringFlag, type FlagSpec } from '../args.ts'
import { clearIndexOutputs, clearRunOutputs } from '../run-outputs.ts'
import { mergeShards, parseShardManifest, type MergedSwarm, type SourcedManifest } from '../swarm-merge.ts'
import { mergedHeadline, renderMergeMarkdown, renderMergeText } from '../swarm-merge-text.ts'
import { SHARD_MANIFEST_FILE } from '../swarm-shard.ts'
import { RESULT_FILE } from '../write-result.ts'
import { loadResult } from './report.ts'

export const SWARM_MERGE_FLAGS = {
  out: { type: 'string', value: 'DIR', help: 'where the merged index, summary.md and the failed runs go (default out/swarm-merged)' },
} as const satisfies FlagSpec

/** Folders looked into below each one named (download-artifact puts each artifact in its own). */
const SUBFOLDERS_MAX = 10_000

export function swarmMergeCommand(argv: readonly string[], io: { out: NodeJS.WritableStream }): number {
  const { values, positionals } = parseFlags(argv, SWARM_MERGE_FLAGS, 'swarm-merge')
  const outDir = stringFlag(values.out, join('out', 'swarm-merged'))
  const shards = positionals.flatMap(shardFolders).map(readShard)
  const merged = mergeShards(shards)
  const failedResults = merged.failed.map(failedResult)
  clearIndexOutputs(outDir)
  const entries: ReportPaths[] = failedResults.map(({ name, bytes, result }) => {
    const dir = join(outDir, name)
    clearRunOutputs(dir)
    mkdirSync(dir, { recursive: true })
    writeFileAtomic(join(dir, RESULT_FILE), bytes)
    return writeReports(result, dir)
  })
  const index = writeIndex(
    failedResults.map((entry) => entry.result),
    outDir,
    entries,
    { title: `LikeStorm swarm seed ${merged.swarm.seed}: failed runs`, headline: { badge: merged.verdict, ok: merged.verdict === 'PASS', summary: mergedHeadline(merged) } },
  )
  // The index's own summary.md covers the failed runs only; the swarm's covers every run.
  const summary = writeFileAtomic(join(outDir, REPORT_FILES.markdown), renderMergeMarkdown(merged, { indexHref: REPORT_FILES.index }))
  io.out.write(renderMergeText(merged))
  io.out.write(`index: ${index} · summary: ${summary}\n`)
  return merged.exitCode
}

/** The shard folders a named folder stands for: itself when it holds a manifest, else its folders that do. */
function shardFolders(dir: string): string[] {
  if (existsSync(join(dir, SHARD_MANIFEST_FILE))) return [dir]
  let names: string[]
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort()
  } catch {
    throw new UsageError('LS_SWARM_SHARD_INVALID', `likestorm swarm-merge: ${dir} is not a folder`)
  }
  const found = names.slice(0, SUBFOLDERS_MAX).map((name) => join(dir, name)).filter((sub) => existsSync(join(sub, SHARD_MANIFEST_FILE)))
  if (found.length === 0) throw new UsageError('LS_SWARM_SHARD_INVALID', `likestorm swarm-merge: no ${SHARD_MANIFEST_FILE} in ${dir} or its folders; name the --out folders of swarm --shard runs`)
  return found
}

function readShard(dir: string): SourcedManifest {
  const path = join(dir, SHARD_MANIFEST_FILE)
  return { source: dir, manifest: parseShardManifest(readFileSync(path, 'utf8'), path) }
}

/** A failed run's result as its shard wrote it: read, checked to be that run's, kept as bytes. */
function failedResult(run: MergedSwarm['failed'][number]): { name: string; bytes: string; result: RunResult } {
  const path = join(run.source, run.result ?? `swarm-${run.seed}/${RESULT_FILE}`)
  if (!existsSync(path)) throw new UsageError('LS_SWARM_SHARD_INVALID', `likestorm swarm-merge: run ${run.run + 1} (seed ${run.seed}) failed in ${run.source}, but its ${path} is missing; download the shard's whole folder`)
  const result = loadResult(path)
  if (result.seed !== run.seed) throw new UsageError('LS_SWARM_SHARD_INVALID', `likestorm swarm-merge: ${path} is the result of seed ${result.seed}, not of run ${run.run + 1}'s seed ${run.seed}`)
  return { name: result.scenario.name, bytes: readFileSync(path, 'utf8'), result }
}
