// A progress line for long runs: one line redrawn in place on a terminal; without a terminal (a CI
// log) a plain line at the first update and then at most every `plainEveryMs`, or nothing without
// it; nothing with --quiet. A plain line longer than the log's width is folded between words. It
// reads the wall clock only to rate-limit output, never to shape a result.
import { foldText } from './fold.ts'

/** How often a long run prints its progress as a plain line when stderr is not a terminal (a CI log). */
export const PLAIN_PROGRESS_EVERY_MS = 10_000

export interface ProgressLine {
  update(text: string): void
  done(): void
}

export function progressLine({ stream, enabled, plainEveryMs }: { stream: NodeJS.WriteStream; enabled: boolean; plainEveryMs?: number }): ProgressLine {
  if (!enabled) return { update: () => {}, done: () => {} }
  if (stream.isTTY !== true) return plainEveryMs === undefined ? { update: () => {}, done: () => {} } : plainLines(stream, plainEveryMs)
  let last = 0
  let shown = false
  return {
    update(text: string): void {
      const now = performance.now()
      if (now - last < 100) return
      last = now
      shown = true
      stream.write(`\r\x1b[2K${text.slice(0, (stream.columns ?? 100) - 1)}`)
    },
    done(): void {
      if (shown) stream.write('\r\x1b[2K')
      shown = false
    },
  }
}

function plainLines(stream: NodeJS.WritableStream, everyMs: number): ProgressLine {
  let last: number | undefined
  return {
    update(text: string): void {
      const now = performance.now()
      if (last !== undefined && now - last < everyMs) return
      last = now
      stream.write(`${foldText(text)}\n`)
    },
    done(): void {},
  }
}
