// A swarm split over machines: `swarm --shard i/n` runs each of the swarm's runs in exactly one
// shard, with the seed it has on one machine, and `swarm-merge` gives the one machine's verdict,
// its failed runs' result.json byte for byte, and never a pass for runs nobody reported.
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { swarmExit } from '../../cli/commands/swarm.ts'
import { EXIT } from '../../cli/exit-codes.ts'
import { main } from '../../cli/main.ts'
import { mergeShards, type SourcedManifest } from '../../cli/swarm-merge.ts'
import { parseShard, SHARD_MANIFEST_FILE, shardManifest, shardRuns, type ShardManifest, type ShardStop } from '../../cli/swarm-shard.ts'
import { swarmRunSeed } from '../../scenarios/swarm.ts'
import { captureIo } from '../helpers/io.ts'

const scratch = (): string => mkdtempSync(join(tmpdir(), 'swarm-shard-'))

describe('--shard i/n', () => {
  it('gives every run of the swarm to exactly one shard', () => {
    for (let runs = 1; runs <= 25; runs++) {
      for (let count = 1; count <= 7; count++) {
        const all = Array.from({ length: count }, (_, i) => shardRuns(runs, { index: i + 1, count })).flat()
        expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: runs }, (_, run) => run))
      }
    }
    expect(shardRuns(7, parseShard('2/3'))).toEqual([1, 4])
  })

  it.each(['0/2', '3/2', '1/0', 'x', '1/', '-1/2', '1.5/2'])('refuses --shard %s in one line, before any run', async (value) => {
    const io = captureIo()
    expect(await main(['swarm', '--runs', '2', '--shard', value, '--out', scratch()], io)).toBe(EXIT.USAGE)
    expect(io.text().err).toMatch(/^likestorm: --shard must be i\/n, .* got "[^"]*" \[LS_BAD_FLAG\]\n$/)
    expect(io.text().out).toBe('')
  })
})

describe('swarm-merge', () => {
  it('merges two shards into the unsharded swarm: each seed once, the same verdict, the same result.json bytes', async () => {
    const dir = scratch()
    const args = ['--runs', '3', '--seed', '1', '--strategy', 'naive', '--quiet']
    const whole = await main(['swarm', ...args, '--out', join(dir, 'whole')], captureIo())
    for (const shard of ['1/2', '2/2']) expect(await main(['swarm', ...args, '--shard', shard, '--out', join(dir, `shard-${shard[0]}`)], captureIo())).toBe(EXIT.CHECK_FAILED)
    const manifests = ['shard-1', 'shard-2'].map((name) => JSON.parse(readFileSync(join(dir, name, SHARD_MANIFEST_FILE), 'utf8')) as ShardManifest)
    expect(manifests.flatMap((manifest) => manifest.ran.map((run) => run.seed)).sort()).toEqual([0, 1, 2].map((run) => swarmRunSeed(1, run)).sort())

    const io = captureIo()
    expect(await main(['swarm-merge', join(dir, 'shard-1'), join(dir, 'shard-2'), '--out', join(dir, 'merged')], io)).toBe(whole)
    expect(whole).toBe(EXIT.CHECK_FAILED)
    expect(io.text().out).toMatch(/^FAIL {2}3 of 3 run\(s\) reported by 2 of 2 shard\(s\): 3 failed\.$/m)
    const failed = readdirSync(join(dir, 'whole')).sort()
    expect(failed).toHaveLength(3)
    for (const name of failed) {
      expect(readFileSync(join(dir, 'merged', name, 'result.json'), 'utf8')).toBe(readFileSync(join(dir, 'whole', name, 'result.json'), 'utf8'))
      expect(io.text().out).toContain(`npx likestorm run ${name} --seed ${name.slice('swarm-'.length)} --strategy naive`)
    }
    expect(readFileSync(join(dir, 'merged', 'index.html'), 'utf8')).toContain('>FAIL</span>')
    expect(readFileSync(join(dir, 'merged', 'summary.md'), 'utf8')).toMatch(/^### ❌ LikeStorm swarm seed 1: FAIL\n/)

    // Without shard 2, run 2 has no outcome and is named; the same shard twice, or another swarm's, is refused.
    const alone = captureIo()
    await main(['swarm-merge', join(dir, 'shard-1'), '--out', join(dir, 'alone')], alone)
    expect(alone.text().out).toContain('shard 2/2 not given: no outcome for run(s) 2\n')
    const twice = captureIo()
    expect(await main(['swarm-merge', join(dir, 'shard-1'), join(dir, 'shard-1')], twice)).toBe(EXIT.USAGE)
    expect(twice.text().err).toMatch(/shard 1\/2 is given twice .* \[LS_SWARM_DUPLICATE\]\n$/)
    cpSync(join(dir, 'shard-2'), join(dir, 'other'), { recursive: true })
    const path = join(dir, 'other', SHARD_MANIFEST_FILE)
    writeFileSync(path, readFileSync(path, 'utf8').replace('"strategy": "naive"', '"strategy": "robust"'))
    const other = captureIo()
    expect(await main(['swarm-merge', join(dir, 'shard-1'), join(dir, 'other')], other)).toBe(EXIT.USAGE)
    expect(other.text().err).toMatch(/^likestorm swarm-merge: .* are shards of different swarms: --strategy differs \(naive vs robust\); merge the shards of one swarm \[LS_SWARM_MISMATCH\]\n$/)
  })
})

describe('the merged verdict', () => {
  const swarm = { runs: 5, seed: 4, strategy: 'robust', shards: 2 }
  const tool = { name: 'likestorm' as const, version: '0.1.0', code: 'sha256:x' }
  /** Shard `index` as it would write itself after running `ran` of its runs, failing `failing`. */
  function shard(index: number, { ran, failing = [], stoppedBy = null, finished = true }: { ran: number; failing?: number[]; stoppedBy?: ShardStop | null; finished?: boolean }): SourcedManifest {
    const runs = shardRuns(swarm.runs, { index, count: swarm.shards }).slice(0, ran)
    const entries = runs.map((run) => ({ run, seed: swarmRunSeed(swarm.seed, run), verdict: failing.includes(run) ? ('fail' as const) : ('pass' as const), failed: failing.includes(run) ? ['no-lost-likes'] : [], replay: 'npx likestorm run …' }))
    return { source: `shard-${index}`, manifest: shardManifest({ tool, swarm, shard: index, ran: entries, stoppedBy, finished }) }
  }

  it('passes only when every run passed', () => {
    expect(mergeShards([shard(1, { ran: 3 }), shard(2, { ran: 2 })])).toMatchObject({ verdict: 'PASS', exitCode: EXIT.OK, missing: [] })
    expect(mergeShards([shard(2, { ran: 2 }), shard(1, { ran: 3, failing: [2] })])).toMatchObject({ verdict: 'FAIL', exitCode: EXIT.CHECK_FAILED })
  })

  it('is inconclusive, naming the runs, when a shard is missing, was stopped or was killed', () => {
    expect(mergeShards([shard(1, { ran: 3 })])).toMatchObject({ verdict: 'INCONCLUSIVE', exitCode: EXIT.INCONCLUSIVE, missing: [{ shard: 2, reason: 'not given', runs: [1, 3] }] })
    const killed = mergeShards([shard(1, { ran: 1, finished: false }), shard(2, { ran: 2 })])
    expect(killed).toMatchObject({ exitCode: EXIT.INCONCLUSIVE, missing: [{ shard: 1, runs: [2, 4] }] })
    expect(killed.missing[0]?.reason).toMatch(/never finished/)
    const signal = mergeShards([shard(1, { ran: 3 }), shard(2, { ran: 1, stoppedBy: { kind: 'signal', detail: 'SIGTERM' } })])
    expect(signal).toMatchObject({ exitCode: EXIT.INCONCLUSIVE, missing: [{ shard: 2, reason: 'stopped by SIGTERM', runs: [3] }] })
    expect(mergeShards([shard(1, { ran: 2, stoppedBy: { kind: 'time-limit', detail: '60s' } }), shard(2, { ran: 2 })])).toMatchObject({ verdict: 'INCOMPLETE', exitCode: EXIT.BOUND_REACHED })
  })

  it('is, on one machine, 4 when the time limit left runs undone and no run failed', () => {
    expect(swarmExit({ failed: 0, stoppedBy: { kind: 'time-limit', detail: '60s' } })).toBe(EXIT.BOUND_REACHED)
    expect(swarmExit({ failed: 1, stoppedBy: { kind: 'time-limit', detail: '60s' } })).toBe(EXIT.CHECK_FAILED)
    expect(swarmExit({ failed: 0, stoppedBy: null })).toBe(EXIT.OK)
  })

  it('refuses shards that contradict their swarm', () => {
    const wrongSeed = shard(2, { ran: 2 })
    const forged = { ...wrongSeed, manifest: { ...wrongSeed.manifest, ran: wrongSeed.manifest.ran.map((run) => ({ ...run, seed: run.seed + 1 })) } }
    expect(() => mergeShards([shard(1, { ran: 3 }), forged])).toThrow(/run 1 has seed \d+, not \d+/)
    const otherCode = shard(2, { ran: 2 })
    expect(() => mergeShards([shard(1, { ran: 3 }), { ...otherCode, manifest: { ...otherCode.manifest, tool: { ...tool, code: 'sha256:y' } } }])).toThrow(/the code \(its fingerprint\) differs/)
  })
})
