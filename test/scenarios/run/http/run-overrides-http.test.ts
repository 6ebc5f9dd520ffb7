// `likestorm run --mode http` with --duration, --rate, --vus and --threshold: the flags change the
// load driven over sockets, result.json records them, and its replay command parses back to the
// same scenario and flags (mode http is on the wall clock: the same run, not the same bytes).
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseRunSettings } from '../../../../cli/commands/run-settings.ts'
import { main } from '../../../../cli/main.ts'
import type { RunResult } from '../../../../result/result.ts'
import { captureIo } from '../../../helpers/io.ts'
import { shellWords } from '../../../helpers/shell-words.ts'

describe('a mode http run with load flags', () => {
  it('drives the overridden load, records the flags, and replays with them', async () => {
    const out = mkdtempSync(join(tmpdir(), 'likestorm-http-overrides-'))
    const argv = ['run', 'baseline', '--mode', 'http', '--seed', '3', '--scale', '0.02', '--time-scale', '0.1', '--duration', '2s', '--rate', '200', '--vus', '5', '--threshold', 'http_req_failed: rate<0.5']
    const code = await main([...argv, '--quiet', '--no-reports', '--out', out], captureIo())
    // Whatever the verdict on a busy machine (timing thresholds may be inconclusive), the run was made.
    expect([0, 1, 3]).toContain(code)
    const result = JSON.parse(readFileSync(join(out, 'baseline', 'result.json'), 'utf8')) as RunResult
    expect(result.config.overrides).toEqual({ durationS: 2, rate: 200, vus: 5, thresholds: ['http_req_failed: rate<0.5'] })
    expect(result.config.durationS).toBe(2)
    expect(result.config.load.scenarios?.['sessions']).toMatchObject({ rate: 200, duration: '2s', maxVUs: 5, preAllocatedVUs: 5 })
    expect(result.checks.map((check) => check.name)).toContain('http_req_failed: rate<0.5')
    expect(result.replay).toBe("npx likestorm run baseline --seed 3 --mode http --scale 0.02 --time-scale 0.1 --duration 2s --rate 200 --vus 5 --threshold 'http_req_failed: rate<0.5'")
    const [npx, likestorm, command, ...replayed] = shellWords(result.replay)
    expect([npx, likestorm, command]).toEqual(['npx', 'likestorm', 'run'])
    const again = parseRunSettings(replayed)
    const first = parseRunSettings(argv.slice(1))
    expect(again.overrides).toEqual(first.overrides)
    expect(again.scenarios).toEqual(first.scenarios)
  })
})
