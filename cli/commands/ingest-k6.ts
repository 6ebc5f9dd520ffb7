// likestorm ingest-k6 <k6-output.json…> --export DIR [--out DIR]
// Judge a k6 run of an export from k6's JSON output (one file, or one per k6 instance): rebuild the
// history, run the same checkers and thresholds, write result.json and the reports. The earlier
// result and reports in the output folder go first. A stop signal ends it at once, writing
// nothing: the k6 outputs stay on disk and the same command judges them again in full, whereas a
// result of part of them would judge an arbitrary prefix of the test.
import { join } from 'node:path'
import { writeReports } from '../../reports/write-reports.ts'
import { UsageError } from '../../scenarios/errors.ts'
import { ingestK6, readExport } from '../../scenarios/k6/ingest.ts'
import { parseFlags, type FlagSpec } from '../args.ts'
import { EXIT, exitForRuns } from '../exit-codes.ts'
import { clearRunOutputs } from '../run-outputs.ts'
import { withStopSignals } from '../stop-signals.ts'
import { renderRunSummary } from '../summary.ts'
import { writeResult } from '../write-result.ts'
import { usageErrorLine } from '../error-line.ts'

export const INGEST_K6_FLAGS = {
  export: { type: 'string', value: 'DIR', help: 'the folder export-k6 wrote (required)' },
  out: { type: 'string', value: 'DIR', help: 'where result.json and the reports go (default out/k6/<scenario>); the earlier ones there are removed first' },
} as const satisfies FlagSpec

/**
 * Reading the output is asynchronous (streamed line by line), so a usage error surfaces after the
 * dispatcher has returned: it is reported here, one line and exit 2, as the dispatcher does.
 */
export function ingestK6Command(argv: readonly string[], io: { out: NodeJS.WritableStream; err: NodeJS.WriteStream }): number | Promise<number> {
  const { values, positionals } = parseFlags(argv, INGEST_K6_FLAGS, 'ingest-k6')
  if (positionals.length === 0) throw new UsageError('LS_BAD_USAGE', 'likestorm ingest-k6: name the k6 JSON output file(s) of the run, e.g. likestorm ingest-k6 k6-out.json --export out/k6-export/baseline')
  if (typeof values.export !== 'string' || values.export === '') throw new UsageError('LS_BAD_FLAG', 'likestorm ingest-k6: --export DIR is required (the folder likestorm export-k6 wrote)')
  const exportDir = values.export
  const outFlag = typeof values.out === 'string' && values.out !== '' ? values.out : undefined
  return run({ outputs: positionals, exportDir, outFlag, io }).catch((error: unknown) => {
    if (error instanceof UsageError) {
      io.err.write(usageErrorLine(error))
      return EXIT.USAGE
    }
    throw error
  })
}

async function run({ outputs, exportDir, outFlag, io }: { outputs: readonly string[]; exportDir: string; outFlag: string | undefined; io: { out: NodeJS.WritableStream; err: NodeJS.WriteStream } }): Promise<number> {
  const started = performance.now()
  const dir = outFlag ?? join('out', 'k6', readExport(exportDir).scenario)
  clearRunOutputs(dir)
  const ingested = await withStopSignals({ err: io.err, onStop: '', firstSignal: 'quit' }, () => ingestK6({ exportDir, outputs }))
  const { result } = ingested
  const path = writeResult(result, dir)
  const reports = writeReports(result, dir)
  for (const note of ingested.notes) io.err.write(`likestorm: note: ${note}\n`)
  io.out.write(`ingested ${ingested.attempts.toLocaleString('en-US')} request attempts from ${outputs.length} k6 output file(s) of export ${ingested.manifest.exportId}\n`)
  // The time shown is ingest's own (reading the outputs, judging, writing); k6's run took the result's durationS.
  io.out.write(`${renderRunSummary(result, { resultPath: path, reportPath: reports.html, wallMs: performance.now() - started, wallLabel: 'to ingest' })}\n`)
  return exitForRuns([result])
}
