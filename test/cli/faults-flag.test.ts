// `likestorm run --faults admin|proxy|none`: how faults reach a --target. Meaningless without one
// (the mock server started here enacts its own faults), so mode sim and mode http without --target
// stop with one line and exit 2; with one it reaches the settings, and a result's replay line keeps
// it unless it was the default.
import { describe, expect, it } from 'vitest'
import { parseRunSettings } from '../../cli/commands/run-settings.ts'
import { EXIT } from '../../cli/exit-codes.ts'
import { main } from '../../cli/main.ts'
import { replayCommand } from '../../scenarios/run/build-result.ts'
import type { HttpRunConfig } from '../../result/result.ts'
import { captureIo } from '../helpers/io.ts'

describe('--faults', () => {
  it.each([
    [['run', 'region-failover', '--faults', 'proxy'], /^likestorm: --faults needs --mode http \[LS_BAD_FLAG\]$/],
    [['run', 'region-failover', '--mode', 'http', '--faults', 'proxy'], /^likestorm: --faults proxy says how faults reach a --target; the mock server started here enacts the scenario's faults itself: give --target URL, or leave --faults out \[LS_BAD_FLAG\]$/],
    [['run', 'region-failover', '--mode', 'http', '--target', 'http://127.0.0.1:9', '--faults', 'chaos'], /^likestorm: --faults must be one of admin, proxy, none, got "chaos" \[LS_BAD_FLAG\]$/],
  ])('%j is one line, exit 2', async (argv, message) => {
    const io = captureIo()
    const code = await main(argv, io)
    expect(code).toBe(EXIT.USAGE)
    const { err } = io.text()
    expect(err.trim().split('\n')).toHaveLength(1)
    expect(err.trim()).toMatch(message)
  })

  it('reaches the settings with a --target; absent, the runs use the admin API as before', () => {
    const target = ['region-failover', '--mode', 'http', '--target', 'http://127.0.0.1:9']
    expect(parseRunSettings([...target, '--faults', 'proxy']).http.faults).toBe('proxy')
    expect(parseRunSettings([...target]).http.faults).toBeUndefined()
  })

  it('is in the replay line unless it was the admin API', () => {
    const http = (faults: HttpRunConfig['faults']): HttpRunConfig => ({ target: 'http://127.0.0.1:8080', ...(faults === undefined ? {} : { faults }), timeScale: 0.1, connections: 64, wallMs: 1, droppedIterations: 0, peakVus: 1, skippedFaults: [] })
    const replay = (faults: HttpRunConfig['faults']): string => replayCommand({ scenario: 'region-failover', seed: 7, scale: 1, strategy: 'target', mode: 'http', http: http(faults) })
    expect(replay('proxy')).toBe('npx likestorm run region-failover --seed 7 --mode http --target http://127.0.0.1:8080 --faults proxy --time-scale 0.1')
    expect(replay('none')).toContain(' --faults none ')
    expect(replay('admin')).not.toContain('--faults')
    expect(replay(undefined)).not.toContain('--faults')
  })
})
