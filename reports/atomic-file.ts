// Writing a file so that a reader never sees half of it: the text goes to a temporary file in the
// same folder (same file system, so the rename cannot copy), which is then renamed over the
// target. A process killed mid-write leaves the old file or none, never a torn one; the leftover
// temporary file is hidden (a dot name) and removed by the next run's clean-up (run-outputs.ts).
import { renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { threadId } from 'node:worker_threads'

/** The temporary name for `path`: hidden, next to it, unique per process and thread. */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${threadId}.tmp`)
}

/** Whether `name` is a temporary file of writeFileAtomic (for clean-ups). */
export function isTemporaryName(name: string): boolean {
  return /^\..+\.\d+-\d+\.tmp$/.test(name)
}

/** Write `text` to `path` atomically (see above) and return `path`. */
export function writeFileAtomic(path: string, text: string): string {
  const temporary = temporaryPathFor(path)
  try {
    writeFileSync(temporary, text)
    renameSync(temporary, path)
  } catch (error) {
    rmSync(temporary, { force: true })
    throw error
  }
  return path
}
