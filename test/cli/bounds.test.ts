// A run that reaches its own wall-time bound says so on its own line and exits 4; it never reads
// as interrupted (that is for signals, 128 + n).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { withStopCause } from '../../cli/commands/run-http.ts'
import { EXIT } from '../../cli/exit-codes.ts'
import { main } from '../../cli/main.ts'
import { renderStopLine } from '../../cli/summary.ts'
import type { RunResult } from '../../result/result.ts'
import { captureIo } from '../helpers/io.ts'
import { smallResult, tempDir } from '../reports/fixtures.ts'

describe('--time-limit', () => {
  it('stops a mode http run with its own line and exit 4', async () => {
    const out = tempDir('likestorm-bound-')
    const io = captureIo()
    const code = await main(['run', 'baseline', '--mode', 'http', '--scale', '0.05', '--time-scale', '1', '--time-limit', '2', '--quiet', '--no-reports', '--out', out], io)
    const text = io.text().out
    expect(code).toBe(EXIT.BOUND_REACHED)
    // The detail names the bound; the driver may word it (it reads between "STOPPED:" and "before").
    expect(text).toMatch(/\n {2}STOPPED: .*--time-limit 2 s.* before the scenario ended; checks judged what ran\n/)
    expect(text).not.toContain('INTERRUPTED')
    const result = JSON.parse(readFileSync(join(out, 'baseline', 'result.json'), 'utf8'))
    expect(result.stoppedBy).toMatchObject({ kind: 'time-limit', detail: expect.stringContaining('--time-limit 2 s') })
    expect(result.interrupted).toBe(true)
  }, 60_000)
})

describe('the cause of an early stop', () => {
  const stoppedEarly = (): RunResult => ({ ...smallResult('baseline'), interrupted: true, stoppedBy: { kind: 'signal', detail: 'stopped before its end' } })

  it('is the signal when ours aborted, the wall-time bound otherwise, and left alone once the driver names it', () => {
    const aborted = new AbortController()
    aborted.abort('SIGHUP')
    expect(withStopCause(stoppedEarly(), { signal: aborted.signal, http: { durationMaxS: 9 } }).stoppedBy).toEqual({ kind: 'signal', detail: 'SIGHUP' })
    expect(withStopCause(stoppedEarly(), { signal: new AbortController().signal, http: { durationMaxS: undefined } }).stoppedBy?.kind).toBe('time-limit')
    const named: RunResult = { ...stoppedEarly(), stoppedBy: { kind: 'signal', detail: 'SIGTERM' } }
    expect(withStopCause(named, { signal: new AbortController().signal, http: { durationMaxS: 9 } })).toBe(named)
  })

  it('reads differently for every kind', () => {
    expect(renderStopLine({ stoppedBy: { kind: 'signal', detail: 'SIGINT' } })).toBe('INTERRUPTED by SIGINT: a partial run; checks judged what ran')
    expect(renderStopLine({ stoppedBy: { kind: 'abort-on-fail', detail: 'http_req_failed: rate<0.01 (observed 0.2)' } })).toBe('ABORTED: an abortOnFail threshold was crossed (http_req_failed: rate<0.01 (observed 0.2)); checks judged what ran')
    expect(renderStopLine({ stoppedBy: { kind: 'incomplete-output', detail: 'the k6 outputs do not cover the whole test' } })).toBe('INCOMPLETE: the k6 outputs do not cover the whole test; checks judged what they cover')
    expect(renderStopLine({})).toBeUndefined()
  })
})
