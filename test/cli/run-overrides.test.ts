// `likestorm run --duration/--rate/--vus/--threshold`: the flags reach the run on the sim thread,
// result.json and the reports record them, the replay command reproduces the result byte for byte,
// and a flag that does not apply, or a scenario it makes invalid, is refused before anything runs.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXIT } from '../../cli/exit-codes.ts'
import { main } from '../../cli/main.ts'
import type { RunResult } from '../../result/result.ts'
import { captureIo } from '../helpers/io.ts'
import { shellWords } from '../helpers/shell-words.ts'

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo()
  const code = await main(argv, io)
  return { code, ...io.text() }
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'likestorm-cli-overrides-'))
}

const RAMP = {
  extends: 'baseline',
  name: 'ramp',
  durationS: 20,
  load: {
    scenarios: { sessions: { executor: 'ramping-arrival-rate', startRate: 100, timeUnit: '1s', preAllocatedVUs: 50, maxVUs: 500, stages: [{ duration: '10s', target: 400 }, { duration: '10s', target: 200 }] } },
    thresholds: { http_req_duration: ['p(99)<250'], http_req_failed: ['rate<0.01'] },
  },
}

describe('a run with --duration, --rate and --threshold', () => {
  it('records them, shows them in the reports, and its replay reproduces result.json byte for byte', async () => {
    const dir = tempDir()
    const file = join(dir, 'ramp.json')
    writeFileSync(file, JSON.stringify(RAMP))
    const flags = ['--duration', '10s', '--rate', '300', '--threshold', 'http_req_duration: p(99)<500', '--threshold', "http_req_failed{op:like}: rate<0.5"]
    const first = await cli('run', file, 'baseline', '--seed', '3', '--scale', '0.05', ...flags, '--quiet', '--out', join(dir, 'first'))
    expect(first.err).toBe('')
    expect(first.code).toBe(EXIT.OK)
    const shown = "--duration 10s --rate 300 --threshold 'http_req_duration: p(99)<500' --threshold 'http_req_failed{op:like}: rate<0.5'"
    const results = ['ramp', 'baseline'].map((name) => {
      const path = join(dir, 'first', name, 'result.json')
      const result = JSON.parse(readFileSync(path, 'utf8')) as RunResult
      expect(result.config.overrides).toEqual({ durationS: 10, rate: 300, thresholds: ['http_req_duration: p(99)<500', 'http_req_failed{op:like}: rate<0.5'] })
      expect(result.config.durationS).toBe(10)
      expect(readFileSync(join(dir, 'first', name, 'summary.md'), 'utf8')).toContain(`\`${shown}\``)
      expect(readFileSync(join(dir, 'first', name, 'report.html'), 'utf8')).toContain(`<code>--duration 10s --rate 300 --threshold &#39;http_req_duration: p(99)&lt;500&#39;`)
      return { path, result }
    })
    expect(results[1]?.result.replay).toBe(`npx likestorm run baseline --seed 3 --scale 0.05 ${shown}`)
    // The file's replay (the file named, then the flags), run as a shell would split it.
    const [ramp] = results
    const [npx, likestorm, ...argv] = shellWords(ramp?.result.replay ?? '')
    expect([npx, likestorm, argv[1]]).toEqual(['npx', 'likestorm', file])
    const replay = await cli(...argv, '--quiet', '--no-reports', '--out', join(dir, 'replay'))
    expect(replay.code).toBe(EXIT.OK)
    expect(readFileSync(join(dir, 'replay', 'ramp', 'result.json'), 'utf8')).toBe(readFileSync(ramp?.path ?? '', 'utf8'))
    // The ramp keeps its shape, peaks at --rate and fits the new length; thresholds on the flags' keys are replaced.
    const load = ramp?.result.config.load
    expect(load?.scenarios?.['sessions']).toMatchObject({ startRate: 75, stages: [{ duration: '5s', target: 300 }, { duration: '5s', target: 150 }] })
    expect(load?.thresholds).toEqual({ http_req_duration: ['p(99)<500'], http_req_failed: ['rate<0.01'], 'http_req_failed{op:like}': ['rate<0.5'] })
  })
})

describe('flags that do not apply', () => {
  async function refused(...argv: string[]): Promise<string> {
    const out = join(tempDir(), 'out')
    const run = await cli('run', ...argv, '--scale', '0.05', '--quiet', '--no-reports', '--out', out)
    expect(run.code).toBe(EXIT.USAGE)
    expect(run.out).toBe('')
    expect(existsSync(out)).toBe(false)
    return run.err
  }

  it('are refused before anything runs: --vus in mode sim, --rate on a VU executor, a load with no main k6 scenario', async () => {
    expect(await refused('baseline', '--vus', '10')).toMatch(/^likestorm: --vus needs --mode http: .*\[LS_BAD_FLAG\]\n$/)
    expect(await refused('examples/scenarios/service-load.scenario.ts', '--mode', 'http', '--rate', '100')).toMatch(
      /^likestorm run: service-load: --rate: load\.scenarios\.users is ramping-vus, a VU executor .*use --vus for VUs \[LS_BAD_FLAG\]\n$/,
    )
    const file = join(tempDir(), 'two.json')
    const sessions = RAMP.load.scenarios.sessions
    writeFileSync(file, JSON.stringify({ ...RAMP, name: 'two', load: { scenarios: { sessions, spike: { ...sessions, startRate: 10 } } } }))
    expect(await refused(file, '--duration', '30s')).toMatch(/two: --duration: the load has 2 k6 scenarios \(sessions, spike\) and none is named main; .*\[LS_BAD_FLAG\]\n$/)
  })

  it('are validated with the scenario they make: every problem with its field path, exit 2', async () => {
    const err = await refused('overload-virginia', '--duration', '60s', '--threshold', 'checks: rate>0.99')
    expect(err).toMatch(/^likestorm: scenario overload-virginia is not valid with --duration 60s --threshold 'checks: rate>0\.99': /)
    expect(err).toContain('faults[0]: needs 0 <= startS <= endS <= duration (60s)')
    expect(err).toContain('load.thresholds.checks: unknown metric checks')
    expect(err).toMatch(/\[LS_BAD_SCENARIO\]\n$/)
  })
})
