// The round trip with a real k6, when one is on PATH: export a small scenario, serve its world
// (robust), `k6 run` the export against it on loopback, ingest k6's JSON output, and expect what
// mode http says of the same server: every check passes, every session was sent (k6 dropped no
// iteration), ids ride as k6 metadata. Without k6 it is skipped, and says so loudly: CI installs
// k6 (docs/k6.md, "k6 in CI"). Wall clock: in vitest.config.ts's WALL_CLOCK_FILES.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ingestK6 } from '../../scenarios/k6/ingest.ts'

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'likestorm.js')
const K6 = spawnSync('which', ['k6'], { encoding: 'utf8' }).stdout.trim()
const TOKEN = 'real-k6-test-token-0123456789'
const REGIONS = 4

if (K6 === '') {
  console.warn(
    '\n*** test/k6/real-k6.test.ts SKIPPED: no k6 on PATH. The export -> k6 run -> ingest round trip was NOT tested. ' +
      'Install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/; GitHub Actions: grafana/setup-k6-action) to run it. ***\n',
  )
}

/** A first port with the next REGIONS - 1 free too (the mock server takes consecutive ports). */
async function freePorts(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000)
    const held: Array<ReturnType<typeof createServer>> = []
    let ok = true
    for (let i = 0; i < REGIONS && ok; i++) {
      const server = createServer()
      ok = await new Promise<boolean>((resolve) => {
        server.once('error', () => resolve(false))
        server.listen(base + i, '127.0.0.1', () => resolve(true))
      })
      if (ok) held.push(server)
    }
    await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))))
    if (ok) return base
  }
  throw new Error('no 4 consecutive free ports')
}

function run(command: string, argv: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, argv, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('a real k6', () => {
  const dir = mkdtempSync(join(tmpdir(), 'likestorm-real-k6-'))
  let server: ChildProcess | undefined

  afterAll(() => {
    server?.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  })

  it.skipIf(K6 === '')('runs an export against the served world, and ingest passes the robust server as mode http does', { timeout: 60_000 }, async () => {
    const scenarioFile = join(dir, 'k6-smoke.scenario.json')
    writeFileSync(
      scenarioFile,
      JSON.stringify({
        extends: 'baseline',
        name: 'k6-smoke',
        title: 'A few seconds of a normal day, through k6',
        durationS: 2,
        // Ten times baseline's capacities: the final reads, paced under the smallest, take seconds, not twenty.
        system: { capacityRps: { 'us-east': 14_000, 'us-west': 9000, 'eu-west': 10_000, 'ap-southeast': 9000 } },
        load: {
          scenarios: { sessions: { executor: 'constant-arrival-rate', rate: 800, timeUnit: '1s', duration: '2s', gracefulStop: '1s', preAllocatedVUs: 2, maxVUs: 4 } },
          thresholds: { likestorm_ok_duration: ['p(99)<1000'], http_req_failed: ['rate<0.01'] },
        },
      }),
    )
    const port = await freePorts()
    const exportDir = join(dir, 'export')
    // The server boots while the export is written.
    server = spawn(process.execPath, [BIN, 'serve', '--scenario', scenarioFile, '--seed', '7', '--scale', '0.05', '--port', String(port), '--admin-token', TOKEN], { stdio: ['ignore', 'pipe', 'pipe'] })
    const listening = new Promise<void>((resolve, reject) => {
      let out = ''
      server?.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        if (out.includes('admin token')) resolve()
      })
      server?.once('exit', (code) => reject(new Error(`likestorm serve exited (${code}) before listening`)))
    })
    const exported = await run(process.execPath, [BIN, 'export-k6', scenarioFile, '--seed', '7', '--scale', '0.05', '--target', `http://127.0.0.1:${port}`, '--out', exportDir])
    expect(exported.code, exported.stderr).toBe(0)
    await listening
    const output = join(exportDir, 'k6-out.json')
    const k6 = await run(K6, ['run', '--quiet', '--out', `json=${output}`, 'script.js'], { cwd: exportDir, env: { ...process.env, ADMIN_TOKEN: TOKEN } })
    expect(k6.code, k6.stderr.slice(-2000)).toBe(0)
    // No script error (k6 logs an iteration's exception and goes on), no VU shortage, no time series explosion.
    expect(k6.stderr).not.toMatch(/level=error/)
    expect(k6.stderr).not.toMatch(/Insufficient VUs/)
    expect(k6.stderr).not.toMatch(/unique time series/)
    server.kill('SIGTERM')
    // Ids are k6 metadata, not tags.
    const opLine = readFileSync(output, 'utf8').split('\n').find((line) => line.includes('"metric":"likestorm_op"') && line.includes('"Point"'))
    expect(JSON.parse(opLine ?? '{}')).toMatchObject({ data: { tags: { op: expect.any(String) }, metadata: { opId: expect.any(String), req: expect.any(String) } } })
    const ingested = await ingestK6({ exportDir, outputs: [output] })
    const failing = ingested.result.checks.filter((check) => check.status !== 'pass' && check.status !== 'not-applicable').map((check) => `${check.name}: ${check.status}`)
    expect(failing).toEqual([])
    expect(ingested.result.verdict).toBe('pass')
    expect(ingested.notes.filter((note) => /no request in the output/.test(note))).toEqual([])
  })
})
