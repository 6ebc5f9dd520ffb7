// The likestorm command: exit codes, one-line errors, summaries, results on disk.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXIT } from '../../cli/exit-codes.ts'
import { main } from '../../cli/main.ts'
import { captureIo } from '../helpers/io.ts'

function cli(...argv: string[]): { code: number; out: string; err: string } {
  const io = captureIo()
  const code = main(argv, io)
  if (typeof code !== 'number') throw new Error(`likestorm ${argv.join(' ')} is asynchronous; use cliAsync`)
  return { code, ...io.text() }
}

async function cliAsync(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo()
  const code = await main(argv, io)
  return { code, ...io.text() }
}

describe('usage errors exit 2 with one clear line', () => {
  it.each([
    [['run', 'no-such-scenario'], /unknown scenario "no-such-scenario"; known: baseline/],
    [['run', 'baseline', '--seed', 'x'], /--seed must be a whole number/],
    [['run', 'baseline', '--seed=-3'], /--seed must be a whole number/],
    [['run', 'baseline', '--seed', '-3'], /--seed must be a whole number from 0/],
    // A typo gets the flag meant, a scenario name the scenario meant, a command the command meant.
    [['run', 'baseline', '--sed', '3'], /^likestorm run: unknown option '--sed' \(did you mean --seed\?\); see likestorm run --help \[LS_BAD_FLAG\]\n$/],
    [['run', 'overload-virginai'], /unknown scenario "overload-virginai" \(did you mean overload-virginia\?\)/],
    [['rnu', 'baseline'], /unknown command "rnu" \(did you mean run\?\)/],
    // Renamed flags say their new name.
    [['run', 'baseline', '--mode', 'http', '--duration-max', '5'], /--duration-max is now --time-limit \[LS_BAD_FLAG\]/],
    [['swarm', '--time-cap-s', '5'], /--time-cap-s is now --time-limit \[LS_BAD_FLAG\]/],
    [['run', 'baseline', '--mode', 'http', '--time-limit', '5 minutes'], /--time-limit must be a duration such as 90s/],
    [['run', 'baseline', '--scale', '0'], /--scale must be a number in \(0, 1000\]/],
    [['run', 'baseline', '--strategy', 'broken-flip'], /--strategy must be one of robust, naive/],
    [['run', 'baseline', '--mode', 'warp'], /--mode must be one of sim/],
    [['run', 'baseline', '--frobnicate'], /unknown option '--frobnicate'/],
    [['run'], /name at least one scenario or pass --all/],
    [['run', 'baseline', '--all'], /not both/],
    [['explode'], /unknown command "explode"/],
    [['run', 'bot-purge', '--scale', '0.1'], /scenario bot-purge does not fit --scale 0.1: it needs --scale >= 0.2 .*\[LS_BAD_SCALE\]/],
    [['run', 'takedown', '--scale', '0.02'], /takedown names video rank\(s\) 63, 90 but the world has 40 videos at this scale \[LS_BAD_SCALE\]/],
    // The pair-key layout holds 2^22 accounts: a bigger world is refused, never silently wrong.
    [['run', 'baseline', '--scale', '1000'], /the world would have 20,000,000 accounts; at most 4,194,304 fit \(lower --scale\) \[LS_BAD_SCALE\]/],
    // Every scenario is checked before anything is cleared or run, in both modes.
    [['run', 'ddos', '--mode', 'http', '--scale', '0.1', '--quiet'], /scenario ddos does not fit --scale 0.1: it needs --scale >= 0.25 .*\[LS_BAD_SCALE\]/],
    [['run', 'baseline', 'bot-purge', '--scale', '0.1'], /scenario bot-purge does not fit --scale 0.1/],
  ])('%j', (argv, message) => {
    const { code, out, err } = cli(...argv)
    expect(code).toBe(EXIT.USAGE)
    expect(out).toBe('')
    expect(err.trim().split('\n')).toHaveLength(1)
    expect(err).toMatch(message)
  })
})

describe('usage errors of asynchronous commands exit 2 with one clear line too', () => {
  // These commands return a promise: their usage errors arrive as rejections, not throws.
  it.each([
    [['tour', '--scale', '0.1', '--quiet'], /scenario bot-purge does not fit --scale 0.1: it needs --scale >= 0.2 .*\[LS_BAD_SCALE\]/],
  ])('%j', async (argv, message) => {
    const io = captureIo()
    const pending = main(argv, io)
    expect(typeof pending).not.toBe('number')
    expect(await pending).toBe(EXIT.USAGE)
    const { out, err } = io.text()
    expect(err.trim().split('\n')).toHaveLength(1)
    expect(err).toMatch(message)
    // The tour checks every run's scale before anything starts: nothing of it is printed.
    expect(out).toBe('')
  })
})

describe('run', () => {
  it('exits 0 when every check passes and writes result.json', async () => {
    const out = mkdtempSync(join(tmpdir(), 'likestorm-'))
    const { code, out: text } = await cliAsync('run', 'baseline', '--seed', '3', '--scale', '0.2', '--out', out, '--quiet')
    expect(code).toBe(EXIT.OK)
    expect(text).toContain('✓ no-lost-likes')
    expect(text).toContain('PASS (invariant checks as expected for robust)')
    const result = JSON.parse(readFileSync(join(out, 'baseline', 'result.json'), 'utf8'))
    expect(result.schemaVersion).toBe(2)
    expect(result.verdict).toBe('pass')
    expect(result.scenario.name).toBe('baseline')
    expect(result.passed).toBe(true)
  })

  it('exits 1 when a check fails and prints the replay command', async () => {
    const out = mkdtempSync(join(tmpdir(), 'likestorm-'))
    const { code, out: text } = await cliAsync('run', 'overload-virginia', '--strategy', 'naive', '--seed', '5', '--scale', '0.3', '--out', out, '--quiet')
    expect(code).toBe(EXIT.CHECK_FAILED)
    expect(text).toContain('✗ never-zero')
    expect(text).toContain('replay: npx likestorm run overload-virginia --seed 5 --strategy naive --scale 0.3')
  })
})

describe('list and help', () => {
  it('lists the library with expected outcomes', () => {
    const { code, out } = cli('list')
    expect(code).toBe(EXIT.OK)
    expect(out).toContain('overload-virginia')
    expect(out).toContain('naive: fails')
  })

  it('prints help with the exit codes, their precedence and what a signal does', () => {
    const { code, out } = cli('help')
    expect(code).toBe(EXIT.OK)
    expect(out).toContain('exit codes (when several apply, the first listed wins)')
    // In exitForRuns' order: a signal, a failed check, a bound, inconclusive, pass.
    const order = ['129 130 143', '\n  1 ', '\n  4 ', '\n  3 ', '\n  0 '].map((code) => out.indexOf(code))
    expect(order.every((at) => at > 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    expect(out).toMatch(/signals: SIGINT, SIGTERM and SIGHUP stop run, tour and swarm cleanly/)
    expect(out).toContain('A second signal\n  quits at once')
  })

  it.each([
    [['help', 'run'], ['--time-limit <D>', 'examples:', 'npx likestorm run ./incident.scenario.ts', 'exit codes', 'signals:']],
    [['run', '--help'], ['--time-limit <D>', 'not k6\'s --out', 'exit codes', 'signals:']],
    [['run', 'baseline', '--seed', '3', '-h'], ['--seed <N>', 'world seed (default 7)']],
    [['compare', '-h'], ['LS_COMPARE_MISMATCH', '3 none found, but something could not be judged']],
    [['help', 'ingest-k6'], ['a stop signal ends it at once and writes nothing', 'exit codes']],
    [['help', 'serve'], ['SIGINT or SIGTERM: stop accepting']],
  ])('prints one command\'s help: %j', (argv, parts) => {
    const { code, out } = cli(...argv)
    expect(code).toBe(EXIT.OK)
    expect(out.startsWith(`usage: likestorm ${argv.find((word) => word !== 'help')} `)).toBe(true)
    for (const part of parts) expect(out).toContain(part)
    // Only that command's flags.
    expect(out).not.toContain('--max-p99-increase'.replace(argv.includes('compare') ? /^/ : /$/, argv.includes('compare') ? 'none-' : ''))
  })

  it('prints the version (as package.json has it)', () => {
    const version = (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version
    for (const flag of ['--version', '-V']) expect(cli(flag)).toEqual({ code: EXIT.OK, out: `likestorm ${version}\n`, err: '' })
  })

  it('refuses help on an unknown command', () => {
    const { code, err } = cli('help', 'explode')
    expect(code).toBe(EXIT.USAGE)
    expect(err).toMatch(/unknown command "explode".*\[LS_BAD_USAGE\]/)
  })
})

describe('the installed bin', () => {
  it('runs through npx-style invocation of bin/likestorm.js and exits 2 on bad usage', () => {
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'likestorm.js')
    expect(execFileSync(process.execPath, [bin, 'list'], { encoding: 'utf8' })).toContain('baseline')
    let status = 0
    let stderr = ''
    try {
      execFileSync(process.execPath, [bin, 'run', 'nope'], { encoding: 'utf8', stdio: 'pipe' })
    } catch (error) {
      status = (error as { status: number }).status
      stderr = String((error as { stderr: string }).stderr)
    }
    expect(status).toBe(2)
    expect(stderr).toContain('unknown scenario')
  })
})
