// The progress line of long runs: in a CI log (no terminal) a plain line now and then, folded to
// the log's width like the rest of the default output.
import { describe, expect, it } from 'vitest'
import { LINE_WIDTH } from '../../cli/fold.ts'
import { progressLine } from '../../cli/progress.ts'

function logStream(): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = []
  const stream = { isTTY: false, write: (chunk: string) => chunks.push(chunk) > 0 } as unknown as NodeJS.WriteStream
  return { stream, text: () => chunks.join('') }
}

describe('the progress line in a log', () => {
  it('prints the first update at once, then at most one per period', () => {
    const log = logStream()
    const line = progressLine({ stream: log.stream, enabled: true, plainEveryMs: 60_000 })
    line.update('traffic 1s/10s')
    line.update('traffic 2s/10s')
    expect(log.text()).toBe('traffic 1s/10s\n')
  })

  it('folds a line longer than the width between words, never inside one', () => {
    const log = logStream()
    const faults = 'faults: overload us-east x3.5 [30s-100s], outage eu-west [40s-60s], slow-region ap-south +250ms [50s-90s]'
    const text = `overload-virginia [http] traffic 38s/150s · 318 req/s · 3,642 requests · 17.7% errors · ${faults}`
    progressLine({ stream: log.stream, enabled: true, plainEveryMs: 10_000 }).update(text)
    const lines = log.text().trimEnd().split('\n')
    expect(lines.length).toBeGreaterThan(1)
    for (const printed of lines) expect(printed.length).toBeLessThanOrEqual(LINE_WIDTH)
    expect(lines.map((printed) => printed.trim()).join(' ')).toBe(text)
  })

  it('prints nothing when disabled (--quiet) or without a period in a log', () => {
    const log = logStream()
    progressLine({ stream: log.stream, enabled: false, plainEveryMs: 10_000 }).update('x')
    progressLine({ stream: log.stream, enabled: true }).update('y')
    expect(log.text()).toBe('')
  })
})
