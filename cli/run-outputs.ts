// Before a command writes a run's files, what an earlier run left in the same places goes: its
// result.json, its reports and an index that lists it. A run killed before it writes (SIGKILL, a
// crash, a second Ctrl-C) then leaves nothing, never a stale result that passes for the new one.
import { closeSync, openSync, readdirSync, readSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { isTemporaryName } from '../reports/atomic-file.ts'
import { REPORT_FILES } from '../reports/write-reports.ts'
import { RESULT_FILE } from './write-result.ts'

/**
 * The files of one run in its folder: the folder is the run's (`<out>/<scenario>`), so they go
 * whatever they hold. result.json goes last: once it is gone, so are the reports drawn from it.
 */
const RUN_FILES = [REPORT_FILES.html, REPORT_FILES.markdown, REPORT_FILES.junit, RESULT_FILE]

/** The index files in the output folder, which may be the user's own folder (`--out .`). */
const INDEX_FILES = [REPORT_FILES.index, REPORT_FILES.markdown, REPORT_FILES.junit]

/** Remove a run's earlier files from `dir`, and any temporary file a killed writer left there. */
export function clearRunOutputs(dir: string): void {
  for (const name of RUN_FILES) rmSync(join(dir, name), { force: true })
  for (const name of listing(dir)) if (isTemporaryName(name)) rmSync(join(dir, name), { force: true })
}

/**
 * Remove an index of earlier runs from `outDir`: it lists runs this command replaces. Only files
 * LikeStorm wrote go (they name it near the top); a summary.md of the user's own is left alone.
 */
export function clearIndexOutputs(outDir: string): void {
  for (const name of INDEX_FILES) {
    const path = join(outDir, name)
    if (/likestorm/i.test(head(path))) rmSync(path, { force: true })
  }
}

function listing(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}

/** The first 2 KiB of a file, or '' when there is none. */
function head(path: string): string {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return ''
  }
  try {
    const buffer = Buffer.alloc(2048)
    const bytes = readSync(fd, buffer, 0, buffer.length, 0)
    return buffer.subarray(0, bytes).toString('utf8')
  } finally {
    closeSync(fd)
  }
}
