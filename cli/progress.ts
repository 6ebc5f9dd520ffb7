// A progress line for long runs: one line redrawn in place on a terminal, nothing otherwise (or
// with --quiet). It reads the wall clock only to rate-limit redraws, never to shape a result.
export interface ProgressLine {
  update(text: string): void
  done(): void
}

export function progressLine({ stream, enabled }: { stream: NodeJS.WriteStream; enabled: boolean }): ProgressLine {
  if (!enabled || stream.isTTY !== true) return { update: () => {}, done: () => {} }
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
