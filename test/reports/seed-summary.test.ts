// The summary over seeds (`run --seeds`): its statistics on hand-made results whose answers are
// worked out by hand, what it does with one seed, a missing field and a run that stopped early,
// and that what it writes is a valid seeds.json and prints within 120 columns.
import { describe, expect, it } from 'vitest'
import type { CheckOutcome, DetectionQuality, KindQuality } from '../../result/result.ts'
import { renderSeedSummary, seedListText } from '../../reports/seed-summary-text.ts'
import { summarizeSeeds, validateSeedSummary, type SeedRun, type SeedSummary } from '../../reports/seed-summary.ts'

function kind(precision: number | null, recall: number | null): KindQuality {
  return { accounts: 100, purged: 50, precision, recall }
}

/** A detection block with the numbers a test names; `factsOnly` absent: a result written before the baselines. */
function detection({ precision, stealthyRecall, genuineLikesRemovedRatio = 0, inactive = false, factsOnlyRecall }: { precision: number | null; stealthyRecall: number | null; genuineLikesRemovedRatio?: number; inactive?: boolean; factsOnlyRecall?: number }): DetectionQuality {
  const row = { botPurge: 0, inactivePurge: 0, kept: 0 }
  const curve = { name: 'facts-only', purgeScoreMin: 1, points: [], recallAtGenuineFpr: { genuineFpr: 0.001, recall: 0, scoreMin: null }, recallAtPrecision: { precision: 0.99, recall: 0, scoreMin: null } }
  return {
    botPurges: 1,
    inactivePurges: inactive ? 1 : 0,
    precision,
    recall: 0.9,
    genuineAccountsPurged: 0,
    genuineLikesRemovedRatio,
    genuineLikesRemoved: 0,
    likesRemoved: 10,
    byFarmKind: { careless: kind(1, 1), stealthy: kind(1, stealthyRecall) },
    inactive: kind(inactive ? 1 : null, inactive ? 0.5 : null),
    confusion: { genuine: row, careless: row, stealthy: row, inactive: row, flood: row },
    ...(factsOnlyRecall === undefined ? {} : { baselines: { factsOnly: { ...curve, precision: 0.5, recall: factsOnlyRecall, byFarmKind: { careless: { precision: 1, recall: 0.2 }, stealthy: { precision: 1, recall: 0 } } } } }),
  }
}

function check(name: string, status: CheckOutcome['status']): CheckOutcome {
  return { name, kind: 'invariant', status, observed: '', expected: '', values: {}, examples: [] }
}

function seedRun(seed: number, d: DetectionQuality | null, { verdict = 'pass', checks = [check('no-lost-likes', 'pass')], stopped = false }: { verdict?: 'pass' | 'fail' | 'inconclusive'; checks?: CheckOutcome[]; stopped?: boolean } = {}): SeedRun {
  return {
    resultFile: `seed-${seed}/result.json`,
    result: {
      scenario: { name: 'bot-purge', title: 'Bot purge', summary: '' },
      mode: 'sim',
      strategy: { name: 'robust', description: '' },
      scale: 0.5,
      seed,
      verdict,
      ...(stopped ? { stoppedBy: { kind: 'signal' as const, detail: 'SIGINT' } } : {}),
      replay: `npx likestorm run bot-purge --seed ${seed} --scale 0.5`,
      checks,
      detection: d,
    },
  }
}

function metric(summary: SeedSummary, path: string) {
  const found = summary.metrics.find((m) => m.path === path)
  if (found === undefined) throw new Error(`no metric ${path}`)
  return found
}

describe('summary over seeds', () => {
  it('summarises each farm\'s recall by its label, counting a seed without that farm as missing', () => {
    const farm = (label: string, recall: number) => ({ label, kind: 'stealthy' as const, traits: ['drip'], accounts: 10, purged: 10 * recall, precision: 1, recall, paidLikes: 5, paidViews: 0, costUsd: 1 })
    const withFarms = (farms: ReturnType<typeof farm>[]): DetectionQuality => ({ ...detection({ precision: 1, stealthyRecall: 0.5 }), byFarm: farms })
    const summary = summarizeSeeds([1, 2, 3], [
      seedRun(1, withFarms([farm('drip', 0.2), farm('aged', 0.1)])),
      seedRun(2, withFarms([farm('drip', 0.4)])),
      seedRun(3, detection({ precision: 1, stealthyRecall: 0.5 })),
    ])
    expect(metric(summary, 'detection.byFarm[drip].recall')).toMatchObject({ label: 'farm drip recall', missing: 1, stats: { n: 2, min: 0.2, max: 0.4 } })
    expect(metric(summary, 'detection.byFarm[drip].recall').stats?.mean).toBeCloseTo(0.3, 12)
    expect(metric(summary, 'detection.byFarm[aged].recall')).toMatchObject({ missing: 2, stats: { n: 1, mean: 0.1 } })
    expect(validateSeedSummary(summary)).toEqual([])
  })

  it('gives the mean, sample sd, range and the Student-t 95% interval of the mean', () => {
    // Stealthy recall 0.80, 0.90, 1.00: mean 0.9, sd 0.1 (n - 1), t(0.975, 2) = 4.302653, half width 4.302653 · 0.1 / √3.
    const runs = [0.8, 0.9, 1.0].map((recall, i) => seedRun(i + 1, detection({ precision: 1, stealthyRecall: recall })))
    const summary = summarizeSeeds([1, 2, 3], runs)
    const stats = metric(summary, 'detection.byFarmKind.stealthy.recall').stats
    expect(stats?.n).toBe(3)
    expect(stats?.mean).toBeCloseTo(0.9, 12)
    expect(stats?.sd).toBeCloseTo(0.1, 12)
    expect(stats?.min).toBe(0.8)
    expect(stats?.max).toBe(1)
    const half = (4.302653 * 0.1) / Math.sqrt(3)
    expect(stats?.ci?.low).toBeCloseTo(0.9 - half, 5)
    expect(stats?.ci?.high).toBeCloseTo(0.9 + half, 5)
    // Identical values: sd 0 and an interval of one point, not NaN.
    expect(metric(summary, 'detection.precision').stats).toEqual({ n: 3, mean: 1, sd: 0, min: 1, max: 1, ci: { low: 1, high: 1 } })
    expect(summary.interval).toEqual({ level: 0.95, method: 'student-t' })
    expect(validateSeedSummary(summary)).toEqual([])
  })

  it('with one seed gives its value, and no sd or interval (they need two)', () => {
    const summary = summarizeSeeds([4], [seedRun(4, detection({ precision: 0.98, stealthyRecall: 0.7 }))])
    expect(metric(summary, 'detection.byFarmKind.stealthy.recall').stats).toEqual({ n: 1, mean: 0.7, sd: null, min: 0.7, max: 0.7, ci: null })
    expect(validateSeedSummary(summary)).toEqual([])
    expect(renderSeedSummary(summary)).toMatch(/stealthy recall\s+1\s+0\.700\s+-\s+0\.700\s+0\.700\s+-/)
  })

  it('counts a field absent or null in some seeds as missing, over the seeds that have it', () => {
    const runs = [
      seedRun(1, detection({ precision: 1, stealthyRecall: 0.5, factsOnlyRecall: 0.2 })),
      // Nothing flagged: precision null. An older result: no baselines.
      seedRun(2, detection({ precision: null, stealthyRecall: 0.7 })),
      seedRun(3, detection({ precision: 0.9, stealthyRecall: null, factsOnlyRecall: 0.4, inactive: true })),
    ]
    const summary = summarizeSeeds([1, 2, 3], runs)
    expect(metric(summary, 'detection.precision')).toMatchObject({ missing: 1, stats: { n: 2, mean: 0.95, min: 0.9, max: 1 } })
    expect(metric(summary, 'detection.byFarmKind.stealthy.recall')).toMatchObject({ missing: 1, stats: { n: 2, mean: 0.6 } })
    expect(metric(summary, 'detection.baselines.factsOnly.recall')).toMatchObject({ missing: 1, stats: { n: 2 } })
    expect(metric(summary, 'detection.baselines.factsOnly.recall').stats?.mean).toBeCloseTo(0.3, 12)
    // Inactive purge numbers only where the scenario had an inactive purge.
    expect(metric(summary, 'detection.inactive.recall')).toMatchObject({ missing: 2, stats: { n: 1, mean: 0.5 } })
    expect(validateSeedSummary(summary)).toEqual([])
    // The table says how many of the runs had the value.
    expect(renderSeedSummary(summary)).toMatch(/\n {2}precision\s+2\/3\s+0\.950/)
  })

  it('counts verdicts and checks per seed, leaves a stopped run out of the numbers, and names the seeds not run', () => {
    const runs = [
      seedRun(1, detection({ precision: 1, stealthyRecall: 0.9 }), { checks: [check('purge-accuracy', 'pass'), check('no-lost-likes', 'pass')] }),
      seedRun(2, detection({ precision: 0.5, stealthyRecall: 0.1 }), { verdict: 'fail', checks: [check('purge-accuracy', 'fail'), check('no-lost-likes', 'pass')] }),
      seedRun(5, detection({ precision: 0, stealthyRecall: 0 }), { verdict: 'inconclusive', checks: [check('purge-accuracy', 'inconclusive'), check('no-lost-likes', 'not-applicable')], stopped: true }),
    ]
    const summary = summarizeSeeds([1, 2, 5, 9], runs)
    expect(summary.verdicts).toEqual({ pass: 1, fail: 1, inconclusive: 1 })
    expect(summary.notRun).toEqual([9])
    expect(summary.checks).toEqual([
      { name: 'purge-accuracy', pass: 1, fail: 1, inconclusive: 1, notApplicable: 0, failedSeeds: [2], inconclusiveSeeds: [5] },
      { name: 'no-lost-likes', pass: 2, fail: 0, inconclusive: 0, notApplicable: 1, failedSeeds: [], inconclusiveSeeds: [] },
    ])
    expect(summary.runs.map((run) => [run.seed, run.stoppedBy])).toEqual([[1, null], [2, null], [5, 'signal: SIGINT']])
    // Seed 5 stopped: its precision 0 is not averaged in.
    expect(metric(summary, 'detection.precision').stats).toMatchObject({ n: 2, mean: 0.75 })
    const text = renderSeedSummary(summary, { path: 'out/bot-purge/seeds.json' })
    expect(text).toContain('✗ purge-accuracy  failed in 1 of 3: seed 2')
    expect(text).toContain('? purge-accuracy  inconclusive in 1 of 3: seed 5')
    expect(text).toContain('replay seed 2: npx likestorm run bot-purge --seed 2 --scale 0.5')
    expect(text).toContain('1 not run (stopped first)')
    expect(text).toContain('not in the numbers: seed 5')
    expect(text).not.toContain('replay seed 1:')
    for (const line of text.split('\n')) if (!line.startsWith('  replay')) expect(line.length, line).toBeLessThanOrEqual(120)
  })

  it('has no numbers for runs without purges, and the validator refuses what is not a seeds.json', () => {
    const summary = summarizeSeeds([1, 2], [seedRun(1, null), seedRun(2, null)])
    expect(summary.metrics).toEqual([])
    expect(renderSeedSummary(summary)).toContain('no detection numbers')
    expect(validateSeedSummary(summary)).toEqual([])
    const broken = { ...summary, verdicts: { pass: -1, fail: 0, inconclusive: 0 }, extra: true }
    expect(validateSeedSummary(broken).length).toBeGreaterThanOrEqual(2)
    expect(validateSeedSummary({ ...summary, metrics: [{ path: 'x', label: 'x', missing: 0, stats: { n: 0, mean: 0, sd: null, min: 0, max: 0, ci: null } }] })).not.toEqual([])
  })

  it('prints an interval bound rounded to zero without a minus sign', () => {
    // Nine zeros and 0.0002: the interval's low end is -0.000025, which rounds to 0.000.
    const runs = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0.0002].map((recall, i) => seedRun(i + 1, detection({ precision: 1, stealthyRecall: recall })))
    const summary = summarizeSeeds([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], runs)
    expect(metric(summary, 'detection.byFarmKind.stealthy.recall').stats?.ci?.low).toBeLessThan(0)
    expect(renderSeedSummary(summary)).toMatch(/stealthy recall\s+10\s+0\.000\s+0\.000\s+0\.000\s+0\.000\s+0\.000 \.\. 0\.000\n/)
  })

  it('writes seed lists back compactly', () => {
    expect(seedListText([1, 2, 3, 4, 5, 9])).toBe('1..5,9')
    expect(seedListText([1, 3, 5])).toBe('1,3,5')
    expect(seedListText([7, 8])).toBe('7,8')
    expect(seedListText([10, 1, 2, 3])).toBe('10,1..3')
  })
})
