// What swarm-merge prints and writes as summary.md (pure): the swarm, its shards, the one verdict,
// each failed run with its replay command, and every run that has no outcome with the reason.
import { foldTokens, listTokens } from './fold.ts'
import { summarizeRuns, type MergedSwarm } from './swarm-merge.ts'

/** Rows of the Markdown summary's failed-runs table before it says how many more (a bound on its size). */
const FAILED_ROWS_MAX = 500
const MISSING_RUNS_LISTED_MAX = 1000

/** The verdict in one sentence, the same in the terminal, summary.md and index.html. */
export function mergedHeadline(merged: MergedSwarm): string {
  const { swarm, ran, failed, missing } = merged
  const absent = missing.reduce((sum, entry) => sum + entry.runs.length, 0)
  const what = `${ran.length} of ${swarm.runs} run(s) reported by ${swarm.shards - missing.filter((entry) => entry.reason === 'not given').length} of ${swarm.shards} shard(s): ${failed.length} failed`
  return absent === 0 ? `${what}.` : `${what}; ${absent} run(s) have no outcome, so this swarm does not pass.`
}

export function renderMergeText(merged: MergedSwarm): string {
  const { swarm } = merged
  const lines = [`LikeStorm swarm-merge: swarm seed ${swarm.seed}, ${swarm.runs} run(s), strategy ${swarm.strategy}, ${swarm.shards} shard(s)`]
  lines.push(`${merged.verdict}  ${mergedHeadline(merged)}`)
  for (const run of merged.failed) {
    lines.push(...foldTokens(listTokens('', run.failed), { first: `  run ${run.run + 1}/${swarm.runs} seed ${run.seed}: `, indent: '    ' }), `    ${run.replay}`)
  }
  for (const entry of merged.missing) lines.push(`  shard ${entry.shard}/${swarm.shards} ${entry.reason}: no outcome for run(s) ${summarizeRuns(entry.runs.map((run) => run + 1))}`)
  return `${lines.join('\n')}\n`
}

export function renderMergeMarkdown(merged: MergedSwarm, { indexHref }: { indexHref: string }): string {
  const { swarm, tool } = merged
  const mark = merged.verdict === 'PASS' ? '✅' : merged.verdict === 'FAIL' ? '❌' : '❔'
  const lines = [
    `### ${mark} LikeStorm swarm seed ${swarm.seed}: ${merged.verdict}`,
    '',
    `${mergedHeadline(merged)} Strategy ${swarm.strategy}, mode sim, ${swarm.shards} shard(s) (run r in shard (r mod ${swarm.shards}) + 1); likestorm ${tool.version}, code \`${tool.code.slice(0, 19)}…\`.`,
    '',
  ]
  if (merged.failed.length > 0) {
    lines.push('| run | seed | failed checks | replay |', '| --: | --: | --- | --- |')
    for (const run of merged.failed.slice(0, FAILED_ROWS_MAX)) lines.push(`| ${run.run + 1} | ${run.seed} | ${run.failed.join(', ')} | \`${run.replay}\` |`)
    if (merged.failed.length > FAILED_ROWS_MAX) lines.push(`| … | | ${merged.failed.length - FAILED_ROWS_MAX} more failed run(s) | |`)
    lines.push('')
  }
  for (const entry of merged.missing) {
    lines.push(`- shard ${entry.shard}/${swarm.shards} ${entry.reason}: no outcome for run(s) ${summarizeRuns(entry.runs.map((run) => run + 1), MISSING_RUNS_LISTED_MAX)}`)
  }
  if (merged.missing.length > 0) lines.push('')
  lines.push(`[Failed runs' reports](${encodeURI(indexHref)})`, '')
  return lines.join('\n')
}
