// The installed command under the signals CI and terminals send: SIGTERM stops a run cleanly with
// a partial result marked interrupted and exit 143, in both modes; a result from an earlier run is
// removed before the run starts, so even SIGKILL cannot leave it passing for the new one; a second
// signal quits at once. Each test drives `node bin/likestorm.js` in a child process.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../reports/fixtures.ts'

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'likestorm.js')

interface Child {
  readonly process: ChildProcess
  readonly startedMs: number
  out(): string
  err(): string
  /** Resolves with the exit code (or the signal that killed it). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

function likestorm(argv: readonly string[]): Child {
  const child = spawn(process.execPath, [BIN, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  return { process: child, startedMs: performance.now(), out: () => out, err: () => err, exited }
}

/** Wait (polling, bounded) until `condition` holds; fail naming `what` otherwise. */
async function until(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(50)
  }
}

/** An earlier run's files, planted where the new run writes. */
function plantStale(dir: string): string {
  mkdirSync(dir, { recursive: true })
  const path = join(dir, 'result.json')
  writeFileSync(path, '{"stale": true}\n')
  writeFileSync(join(dir, 'report.html'), 'stale')
  return path
}

const readResult = (path: string): { interrupted: boolean; stoppedBy?: { kind: string; detail: string }; mode: string } => JSON.parse(readFileSync(path, 'utf8'))

describe('likestorm run under SIGTERM', () => {
  it('mode http: 15 s in, it stops, writes a partial result marked interrupted and exits 143', async () => {
    const out = tempDir('likestorm-sigterm-http-')
    const stale = plantStale(join(out, 'baseline'))
    // 120 s of scenario at time scale 1: still running at 15 s.
    const child = likestorm(['run', 'baseline', '--mode', 'http', '--scale', '0.05', '--time-scale', '1', '--no-reports', '--out', out])
    await until(() => !existsSync(stale), 'the earlier result to be removed', 20_000)
    expect(existsSync(join(out, 'baseline', 'report.html'))).toBe(false)
    await sleep(Math.max(0, 15_000 - (performance.now() - child.startedMs)))
    expect(child.process.exitCode).toBeNull()
    child.process.kill('SIGTERM')
    const { code } = await child.exited
    expect(code).toBe(143)
    const result = readResult(join(out, 'baseline', 'result.json'))
    expect(result).toMatchObject({ mode: 'http', interrupted: true, stoppedBy: { kind: 'signal', detail: 'SIGTERM' } })
    expect(child.err()).toContain('likestorm: SIGTERM: stopping')
    // Without a terminal, progress is a plain line (the first at once).
    expect(child.err()).toMatch(/^baseline \[http\] traffic/m)
    expect(child.out()).toContain('INTERRUPTED by SIGTERM: a partial run; checks judged what ran')
  }, 60_000)

  it('mode http under SIGKILL: the earlier result is already gone, and nothing stands in its place', async () => {
    const out = tempDir('likestorm-sigkill-')
    const stale = plantStale(join(out, 'baseline'))
    const child = likestorm(['run', 'baseline', '--mode', 'http', '--scale', '0.05', '--time-scale', '1', '--no-reports', '--quiet', '--out', out])
    await until(() => !existsSync(stale), 'the earlier result to be removed', 20_000)
    child.process.kill('SIGKILL')
    expect(await child.exited).toEqual({ code: null, signal: 'SIGKILL' })
    expect(existsSync(join(out, 'baseline', 'result.json'))).toBe(false)
    expect(existsSync(join(out, 'baseline', 'report.html'))).toBe(false)
  }, 30_000)

  it('mode sim: the run under way ends at its next batch of operations with a partial result; the next never starts', async () => {
    const out = tempDir('likestorm-sigterm-sim-')
    const staleSoak = plantStale(join(out, 'soak'))
    const child = likestorm(['run', 'baseline', 'soak', '--scale', '2', '--no-reports', '--out', out])
    // The run's first progress line: its traffic is about to start (~400k operations to come).
    await until(() => child.err().includes('baseline [robust]'), 'the first progress line', 30_000)
    child.process.kill('SIGTERM')
    const { code } = await child.exited
    expect(code).toBe(143)
    const result = readResult(join(out, 'baseline', 'result.json'))
    expect(result).toMatchObject({ mode: 'sim', interrupted: true, stoppedBy: { kind: 'signal', detail: 'SIGTERM' } })
    expect(existsSync(staleSoak)).toBe(false)
    expect(child.out()).toContain('SIGTERM: stopped before soak ran (no result written for them)')
  }, 60_000)

  it('quits at once on a second signal, with the code of the first', async () => {
    const out = tempDir('likestorm-sigint-twice-')
    const child = likestorm(['run', 'baseline', '--scale', '2', '--no-reports', '--out', out])
    await until(() => child.err().includes('baseline [robust]'), 'the first progress line', 30_000)
    child.process.kill('SIGINT')
    await until(() => child.err().includes('likestorm: SIGINT: stopping'), 'the stop message', 10_000)
    child.process.kill('SIGTERM')
    const { code } = await child.exited
    expect(code).toBe(130)
    expect(child.err()).toContain('likestorm: SIGTERM: quitting at once')
  }, 60_000)
})
