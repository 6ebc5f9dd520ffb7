// npm run bench:k6-ingest — the memory of `likestorm ingest-k6` against the length of the k6
// output it judges: soak exported at increasing scales, a k6 run of each simulated on virtual time
// (test/k6/helpers/fake-k6-run.ts, two instances: two files merged by time), then ingest-k6 in a
// child process of its own with its peak resident set reported by the preloaded probe. Bytes per
// attempt are the peak over the attempts, and between two scales the growth over the attempts
// added: what an attempt costs at the margin, an upper bound (the world grows with the scale too).
// One JSON line per scale, the largest last: {"bench":"k6-ingest","scale":…,"attempts":…,"peakRssMb":…,"bytesPerAttempt":…,"marginalBytesPerAttempt":…}
// LIKESTORM_BENCH_SCALES (comma-separated; default 0.5,2) changes the scales.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { exportK6 } from '../scenarios/k6/export.ts'
import { scenarioByName } from '../scenarios/library/index.ts'
import { fakeK6Run } from '../test/k6/helpers/fake-k6-run.ts'

const DEFAULT_SCALES = [0.5, 2]
const CHILD_TIMEOUT_MS = 30 * 60 * 1000
const INSTANCES = 2

const scales = (process.env.LIKESTORM_BENCH_SCALES ?? '').split(',').filter((s) => s.trim() !== '').map(Number)
const chosen = (scales.length > 0 ? scales : DEFAULT_SCALES).sort((a, b) => a - b)
if (chosen.some((scale) => !(scale > 0))) throw new Error(`LIKESTORM_BENCH_SCALES: positive numbers, got ${process.env.LIKESTORM_BENCH_SCALES}`)
const cli = fileURLToPath(new URL('../bin/likestorm.js', import.meta.url))
const probe = fileURLToPath(new URL('./peak-rss-probe.mjs', import.meta.url))
const soak = scenarioByName('soak')
if (soak === undefined) throw new Error('no soak scenario')

interface Measured {
  readonly scale: number
  readonly attempts: number
  readonly peakRssMb: number
  readonly bytesPerAttempt: number
}

function measure(scale: number): Measured {
  const dir = mkdtempSync(join(tmpdir(), 'likestorm-bench-k6-'))
  try {
    const summary = exportK6({ scenario: soak as NonNullable<typeof soak>, seed: 5, scale, outDir: join(dir, 'export') })
    mkdirSync(join(dir, 'k6'))
    const run = fakeK6Run({ exportDir: summary.dir, plan: summary.plan, outDir: join(dir, 'k6'), instances: INSTANCES })
    const rssFile = join(dir, 'peak-rss-kb')
    const child = spawnSync(process.execPath, ['--import', probe, cli, 'ingest-k6', ...run.files, '--export', summary.dir, '--out', join(dir, 'out')], {
      env: { ...process.env, LIKESTORM_PEAK_RSS_FILE: rssFile },
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: CHILD_TIMEOUT_MS,
    })
    // 0 (held) or 1 (a check failed) are judgements; anything else is the ingest failing.
    if (child.status !== 0 && child.status !== 1) throw new Error(`ingest-k6 of soak --scale ${scale} exited ${child.status ?? child.signal}`)
    const peakRssBytes = Number(readFileSync(rssFile, 'utf8')) * 1024
    return { scale, attempts: run.attempts, peakRssMb: Math.round(peakRssBytes / 2 ** 20), bytesPerAttempt: Math.round(peakRssBytes / run.attempts) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const results: Measured[] = []
for (const scale of chosen) {
  const measured = measure(scale)
  results.push(measured)
  console.error(`ingest-k6 of soak --scale ${scale}: ${measured.attempts.toLocaleString('en-US')} attempts, peak RSS ${measured.peakRssMb} MB (${measured.bytesPerAttempt} bytes per attempt)`)
}
results.forEach((measured, i) => {
  const before = results[i - 1]
  const marginal = before === undefined ? null : Math.round(((measured.peakRssMb - before.peakRssMb) * 2 ** 20) / (measured.attempts - before.attempts))
  console.log(JSON.stringify({ bench: 'k6-ingest', ...measured, marginalBytesPerAttempt: marginal }))
})
