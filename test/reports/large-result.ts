// A result of the largest size the runner writes, standing for a 10-million-operation run: every
// series at the 600-point bound, many checks each with the 10-example bound and long messages,
// several hot videos, eight regions, a busy fault timeline. Built from a real small result so its
// shape stays the runner's; filled deterministically (no Math.random).
import type { RunResult } from '../../result/result.ts'
import { mutable } from './fixtures.ts'

export const LARGE = { operations: 10_000_000, points: 600, checks: 24, examples: 10, hotVideos: 10, regions: 8 } as const

function lcg(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

export function synthesizeLargeResult(template: RunResult, { points = LARGE.points, operations = LARGE.operations }: { points?: number; operations?: number } = {}): RunResult {
  const random = lcg(7)
  const r = mutable(template)
  const durationS = 3600
  const bucketMs = (durationS * 1000) / points
  const wave = (base: number, amplitude: number): number[] => Array.from({ length: points }, (_, i) => Math.round((base + amplitude * Math.sin(i / 40) + amplitude * 0.3 * random()) * 100) / 100)
  const nullable = (base: number): (number | null)[] => wave(base, base / 3).map((v, i) => (i % 97 === 5 ? null : Math.max(0.25, v)))
  r.config.durationS = durationS
  const regions = Array.from({ length: LARGE.regions }, (_, i) => `region-${i + 1}`)
  r.config.capacityRps = Object.fromEntries(regions.map((region) => [region, 400_000]))
  r.timeseries = {
    bucketMs,
    tMs: Array.from({ length: points }, (_, i) => Math.round(i * bucketMs)),
    offeredRps: wave(2800, 600),
    servedRps: wave(2700, 500),
    shedRps: wave(80, 60),
    failedRps: wave(10, 8),
    timeoutRps: wave(5, 4),
    latencyP50Ms: nullable(20),
    latencyP95Ms: nullable(60),
    latencyP99Ms: nullable(240),
    staleReads: wave(400, 300).map(Math.round),
    zeroLikeReads: wave(100, 80).map(Math.round),
    replicationLagMs: Object.fromEntries(regions.map((region, i) => [region, nullable(100 + 10 * i)])),
    hotVideos: Array.from({ length: LARGE.hotVideos }, (_, v) => {
      const trueLikes = Array.from({ length: points }, (_, i) => Math.round(i * (200 - v * 10)))
      return {
        videoId: `v_hot${String(v).padStart(7, '0')}`,
        rank: v + 1,
        trueLikes,
        shownMin: trueLikes.map((n, i) => (i % 50 === 7 ? 0 : i % 61 === 3 ? null : Math.max(0, n - Math.round(30 * random())))),
        shownMax: trueLikes.map((n, i) => (i % 61 === 3 ? null : n + Math.round(10 * random()))),
        zeroReads: trueLikes.map((_, i) => (i % 50 === 7 ? Math.round(40 * random()) : 0)),
      }
    }),
  }
  const names = Array.from({ length: LARGE.checks }, (_, i) => template.checks[i % template.checks.length]?.name ?? 'check')
  r.checks = names.map((name, i) => ({
    name: i < template.checks.length ? name : `${name}-${i}`,
    kind: i % 5 === 4 ? ('threshold' as const) : ('invariant' as const),
    status: i % 3 !== 0 ? ('pass' as const) : ('fail' as const),
    observed: `${i * 12345} of ${operations} operations outside their bounds; ${'the history shows more detail in the examples. '.repeat(2)}`,
    expected: `every read lies within [likes surely standing, likes possibly standing] as of the time it claims (check ${i})`,
    values: { violations: i * 12345, checked: operations, ratio: 0.123456 },
    examples: Array.from({ length: LARGE.examples }, (_, e) => ({
      message: `v_hot${String(e).padStart(7, '0')} read showed 0 likes in region-${(e % LARGE.regions) + 1} at ${(e * 321.5).toFixed(3)}s (fresh) while u_user${e}'s like stood since ${(e * 300).toFixed(3)}s; ${'context '.repeat(20)}`,
      videoId: `v_hot${String(e).padStart(7, '0')}`,
      userId: `u_user${e}`,
      region: `region-${(e % LARGE.regions) + 1}`,
      atMs: e * 321_500 + 0.5,
    })),
  }))
  r.verdict = r.checks.every((c) => c.status === 'pass') ? 'pass' : 'fail'
  r.passed = r.verdict === 'pass'
  r.metrics.operations = operations
  r.metrics.attempts = Math.round(operations * 1.08)
  r.metrics.ok = Math.round(operations * 0.97)
  r.faults = [
    { kind: 'overload', description: 'overload region-1 x3 [600s-1500s]', startMs: 600_000, endMs: 1_500_000, spec: { kind: 'overload', region: 'region-1', factor: 3, startS: 600, endS: 1500 } },
    { kind: 'region-outage', description: 'region-outage region-2 [1800s-2100s]', startMs: 1_800_000, endMs: 2_100_000, spec: { kind: 'region-outage', region: 'region-2', startS: 1800, endS: 2100 } },
    {
      kind: 'bot-purge',
      description: 'bot-purge [3000s-3100s]',
      startMs: 3_000_000,
      endMs: 3_100_000,
      spec: { kind: 'bot-purge', startS: 3000, endS: 3100 },
      purge: { kind: 'bot', atMs: 3_000_000, accounts: 40_000, likesRemoved: 400_000, reasons: { lockstep: 39_000, velocity: 2_000 } },
    },
  ]
  return r as unknown as RunResult
}
