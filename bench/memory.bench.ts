// npm run bench:memory — memory against run length: `likestorm run soak --no-reports` at
// increasing scales, each in a child process of its own (a fresh heap), with its peak resident set
// reported by a preloaded probe (peak-rss-probe.mjs). A run whose memory did not grow with its
// length would show bytes per operation falling as the scale rises; the ratio of the largest
// scale's peak to the smallest's says how far it is from flat.
// One JSON line per scale, the largest last: {"bench":"memory","scale":…,"ops":…,"peakRssMb":…,"bytesPerOp":…,"wallS":…}
// LIKESTORM_BENCH_SCALES (comma-separated; default 2.5,5,10,20) changes the scales.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const DEFAULT_SCALES = [2.5, 5, 10, 20]
/** A child that runs this long has hung: each scale here finishes in minutes. */
const CHILD_TIMEOUT_MS = 30 * 60 * 1000

const scales = (process.env.LIKESTORM_BENCH_SCALES ?? '').split(',').filter((s) => s.trim() !== '').map(Number)
const chosen = (scales.length > 0 ? scales : DEFAULT_SCALES).sort((a, b) => a - b)
if (chosen.some((scale) => !(scale > 0))) throw new Error(`LIKESTORM_BENCH_SCALES: positive numbers, got ${process.env.LIKESTORM_BENCH_SCALES}`)
const cli = fileURLToPath(new URL('../bin/likestorm.js', import.meta.url))
const probe = fileURLToPath(new URL('./peak-rss-probe.mjs', import.meta.url))

interface Measured {
  readonly scale: number
  readonly ops: number
  readonly peakRssMb: number
  readonly bytesPerOp: number
  readonly wallS: number
}

function measure(scale: number): Measured {
  const dir = mkdtempSync(join(tmpdir(), 'likestorm-bench-memory-'))
  try {
    const rssFile = join(dir, 'peak-rss-kb')
    const started = performance.now()
    const child = spawnSync(process.execPath, ['--import', probe, cli, 'run', 'soak', '--scale', String(scale), '--no-reports', '--out', dir], {
      env: { ...process.env, LIKESTORM_PEAK_RSS_FILE: rssFile },
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: CHILD_TIMEOUT_MS,
    })
    const wallS = (performance.now() - started) / 1000
    if (child.status !== 0) throw new Error(`soak --scale ${scale} exited ${child.status ?? child.signal}`)
    const result = JSON.parse(readFileSync(join(dir, 'soak', 'result.json'), 'utf8')) as { metrics: { operations: number } }
    const peakRssBytes = Number(readFileSync(rssFile, 'utf8')) * 1024
    const ops = result.metrics.operations
    return { scale, ops, peakRssMb: Math.round(peakRssBytes / 2 ** 20), bytesPerOp: Math.round(peakRssBytes / ops), wallS: Math.round(wallS * 10) / 10 }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const results: Measured[] = []
for (const scale of chosen) {
  const measured = measure(scale)
  results.push(measured)
  const first = results[0] as Measured
  console.error(`soak --scale ${scale}: ${measured.ops.toLocaleString('en-US')} operations, peak RSS ${measured.peakRssMb} MB (${measured.bytesPerOp} bytes per operation; ${(measured.peakRssMb / first.peakRssMb).toFixed(2)}x the --scale ${first.scale} peak), ${measured.wallS} s`)
}
for (const measured of results) console.log(JSON.stringify({ bench: 'memory', ...measured }))
