// likestorm report <result.json…> [--out DIR]: render saved results again. Each result's reports
// (report.html, summary.md, junit.xml) go next to it, or under DIR; several results also get an
// index (DIR, or the folder their reports share). Every file is read and validated before anything
// is written. Exit 0 once the reports are written, whatever the verdicts (run and compare gate).
import { basename, dirname, join, resolve, sep } from 'node:path'
import { ResultError } from '../../result/result-error.ts'
import { readResultFile } from '../../result/result-file.ts'
import { writeIndex, writeReports, type ReportPaths } from '../../reports/write-reports.ts'
import type { RunResult } from '../../result/result.ts'
import { UsageError } from '../../scenarios/errors.ts'
import { parseFlags, type FlagSpec } from '../args.ts'
import { EXIT } from '../exit-codes.ts'
import { VERDICT_LABEL } from '../../reports/check-status.ts'

const VERDICT_MARK = { pass: '✓', fail: '✗', inconclusive: '?' } as const

export const REPORT_FLAGS = {
  out: { type: 'string', value: 'DIR', help: 'where the reports go (default: next to each result.json; several results: DIR/<folder>)' },
} as const satisfies FlagSpec

/** Read a result for a command, turning a bad file into a usage error (exit 2, one line). */
export function loadResult(path: string): RunResult {
  try {
    return readResultFile(path)
  } catch (error) {
    if (error instanceof ResultError) throw new UsageError(error.code, error.message)
    throw error
  }
}

/** Where each result's reports go: next to it, or DIR (one result) or DIR/<its folder> (several), never two in one place. */
export function reportDirs(paths: readonly string[], outDir: string | undefined): string[] {
  const taken = new Set<string>()
  return paths.map((path) => {
    const stem = basename(path).replace(/\.json$/i, '')
    const folder = basename(dirname(resolve(path))) || stem
    let dir = outDir === undefined ? dirname(path) : paths.length === 1 ? outDir : join(outDir, folder)
    if (taken.has(resolve(dir))) dir = join(dir, stem)
    for (let n = 2; taken.has(resolve(dir)); n++) dir = `${dir}-${n}`
    taken.add(resolve(dir))
    return dir
  })
}

/** The deepest folder that holds every one of `dirs`. */
export function commonDir(dirs: readonly string[]): string {
  const parts = dirs.map((dir) => resolve(dir).split(sep))
  const first = parts[0] ?? []
  let depth = 0
  while (depth < first.length && parts.every((p) => p[depth] === first[depth])) depth++
  return first.slice(0, depth).join(sep) || sep
}

export function reportCommand(argv: readonly string[], io: { out: NodeJS.WritableStream; err: NodeJS.WriteStream }): number {
  const { values, positionals } = parseFlags(argv, REPORT_FLAGS, 'report')
  if (positionals.length === 0) throw new UsageError('LS_BAD_USAGE', 'likestorm report: name at least one result.json (e.g. out/baseline/result.json)')
  const outDir = typeof values.out === 'string' ? values.out : undefined
  const results = positionals.map(loadResult)
  const dirs = reportDirs(positionals, outDir)
  const entries: ReportPaths[] = results.map((result, i) => writeReports(result, dirs[i] as string))
  results.forEach((result, i) => {
    const paths = entries[i] as ReportPaths
    io.out.write(`${VERDICT_MARK[result.verdict]} ${VERDICT_LABEL[result.verdict]} ${result.scenario.name} [${result.strategy.name}] seed ${result.seed} → ${paths.html} (also ${basename(paths.markdown)}, ${basename(paths.junit)})\n`)
  })
  if (results.length > 1) {
    const index = writeIndex(results, outDir ?? commonDir(dirs), entries)
    io.out.write(`index: ${index}\n`)
  }
  return EXIT.OK
}
