// likestorm ingest-k6 on k6 JSON output written by a simulated k6 run of an export (the workload
// sent to the in-process engagement core as k6 would send it to the mock server): the history it
// rebuilds passes every invariant with the robust system, whether the run came from one k6
// instance or two; what the output lacks or gets wrong is named, with the file and line.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { validateResult } from '../../result/result-schema.ts'
import { ingestK6, type IngestOutcome } from '../../scenarios/k6/ingest.ts'
import type { RunResult } from '../../result/result.ts'
import { exported, libraryScenario, scratchDir } from './helpers/exports.ts'
import { fakeK6Run, type FakeRun } from './helpers/fake-k6-run.ts'

const SCENARIO = 'region-failover'
const summary = exported(SCENARIO)

function invariants(result: RunResult): Array<[string, boolean]> {
  return result.checks.filter((check) => check.kind === 'invariant').map((check) => [check.name, check.status === 'pass'])
}

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise
  } catch (error) {
    return error as Error & { code?: string }
  }
  throw new Error('expected a rejection')
}

describe(`ingest-k6 of a simulated k6 run of ${SCENARIO} (robust)`, () => {
  let one: { run: FakeRun; ingested: IngestOutcome }
  let two: { run: FakeRun; ingested: IngestOutcome }

  beforeAll(async () => {
    const run1 = fakeK6Run({ exportDir: summary.dir, plan: summary.plan, outDir: scratchDir('one') })
    one = { run: run1, ingested: await ingestK6({ exportDir: summary.dir, outputs: run1.files }) }
    const run2 = fakeK6Run({ exportDir: summary.dir, plan: summary.plan, outDir: scratchDir('two'), instances: 2 })
    two = { run: run2, ingested: await ingestK6({ exportDir: summary.dir, outputs: run2.files }) }
  })

  it('rebuilds a history on which every invariant holds', () => {
    const { result } = one.ingested
    expect(one.ingested.attempts).toBe(one.run.attempts)
    expect(invariants(result).filter(([, passed]) => !passed)).toEqual([])
    expect(invariants(result).map(([name]) => name)).toContain('no-lost-likes')
    expect(result.interrupted).toBe(false)
    // Nothing to note but how late operations went out.
    expect(one.ingested.notes.filter((note) => !note.startsWith('operations were sent '))).toEqual([])
    expect(one.ingested.sendDelay.count).toBeGreaterThan(0)
  })

  it('writes a result of mode http, the k6 target as its system, and the export command as its replay', () => {
    const { result } = one.ingested
    expect(validateResult(JSON.parse(JSON.stringify(result)))).toEqual([])
    expect(result.mode).toBe('http')
    expect(result.strategy).toEqual({ name: 'k6-target', description: 'the system at http://127.0.0.1:8080, driven by k6 (its admin API reports strategy robust)' })
    expect(result.replay).toBe(`npx likestorm export-k6 ${SCENARIO} --seed 7 --scale 0.05 --target http://127.0.0.1:8080 --out ${summary.dir}`)
    const capacities = Object.entries(libraryScenario(SCENARIO).system.capacityRps).map(([region, rps]) => [region, rps * 0.05])
    expect(result.config.capacityRps).toEqual(Object.fromEntries(capacities))
    expect(result.config.http).toMatchObject({ target: 'http://127.0.0.1:8080', timeScale: 1, droppedIterations: 0, skippedFaults: [] })
  })

  it('records the outage: refused connections, failovers, and the fault switched at its time', () => {
    const { result } = one.ingested
    expect(result.metrics.failovers).toBeGreaterThan(0)
    expect(result.metrics.errors['LS_CLIENT_CONNECTION_REFUSED']).toBeGreaterThan(0)
    expect(result.faults).toHaveLength(1)
    expect(result.faults[0]).toMatchObject({ kind: 'region-outage', startMs: 40_000 })
    expect(result.faults[0]?.skipped).toBeUndefined()
    // Convergence was probed through the admin API, server times moved onto the run's clock.
    expect(result.checks.find((check) => check.name === 'convergence')?.values['catchUpMs']).toBeLessThan(1000)
  })

  it('merges the outputs of two k6 instances into the same history as one', () => {
    expect(two.run.files).toHaveLength(2)
    const lines = two.run.files.map((file) => readFileSync(file, 'utf8').split('\n').length)
    expect(Math.min(...lines)).toBeGreaterThan(1000)
    expect(two.ingested.attempts).toBe(one.ingested.attempts)
    expect(two.ingested.result.checks).toEqual(one.ingested.result.checks)
    expect(two.ingested.result.metrics).toEqual(one.ingested.result.metrics)
    expect(two.ingested.result.timeseries).toEqual(one.ingested.result.timeseries)
    expect(two.ingested.result.interrupted).toBe(false)
  })

  it('marks the run interrupted when an instance\'s output is missing', async () => {
    const half = await ingestK6({ exportDir: summary.dir, outputs: [two.run.files[0] as string] })
    expect(half.result.interrupted).toBe(true)
    expect(half.notes.join('\n')).toMatch(/the outputs cover execution segments 0:1\/2 only, not the whole test/)
    expect(half.notes.join('\n')).toMatch(/sessions have no request in the output/)
  })

  it('calls convergence inconclusive, not failed, when the probes stopped before the deadline without seeing the catch-up', async () => {
    // As a script that judged the catch-up by a rougher clock than the ingester's would leave it:
    // every probe shows the regions behind, and the last one comes long before the 30 s deadline.
    const lines = readFileSync(one.run.files[0] as string, 'utf8').split('\n')
    const probes = lines.filter((line) => line.includes('"likestorm_admin"') && line.includes('"phase":"probe"'))
    expect(probes.length).toBeGreaterThan(0)
    const behind = lines.map((line) => (probes.includes(line) ? line.replace(/"marks":"[^"]*"/, '"marks":"0,0,0,0"') : line))
    const file = join(scratchDir('early-probes'), 'k6-out.json')
    writeFileSync(file, behind.join('\n'))
    const convergence = (await ingestK6({ exportDir: summary.dir, outputs: [file] })).result.checks.find((check) => check.name === 'convergence')
    expect(convergence?.status).toBe('inconclusive')
    expect(convergence?.observed).toMatch(/the probes stopped .* before the regions were seen to catch up/)
  })

  it('refuses the same output given twice', async () => {
    const file = one.run.files[0] as string
    const error = await rejection(ingestK6({ exportDir: summary.dir, outputs: [file, file] }))
    expect(error.code).toBe('LS_K6_BAD_OUTPUT')
    expect(error.message).toMatch(/appears twice: was one output file given twice\?/)
  })

  it('reads gzipped output (k6 run --out json=FILE.gz)', async () => {
    const gz = join(scratchDir('gz'), 'k6-out.json.gz')
    writeFileSync(gz, gzipSync(readFileSync(one.run.files[0] as string)))
    const ingested = await ingestK6({ exportDir: summary.dir, outputs: [gz] })
    expect(ingested.result.checks).toEqual(one.ingested.result.checks)
  })

  it('names the file and line of a malformed line', async () => {
    const dir = scratchDir('malformed')
    const file = join(dir, 'k6-out.json')
    const lines = readFileSync(one.run.files[0] as string, 'utf8').split('\n')
    lines[41] = (lines[41] as string).slice(0, 30)
    writeFileSync(file, lines.join('\n'))
    const error = await rejection(ingestK6({ exportDir: summary.dir, outputs: [file] }))
    expect(error.code).toBe('LS_K6_BAD_OUTPUT')
    expect(error.message).toContain(`${file}:42: not a JSON line`)
    lines[41] = '{"type":"Point","metric":"likestorm_op","data":{"time":"2024-05-01T12:00:00Z","value":1,"tags":{"export":"' + summary.manifest.exportId + '","seg":"0:1","phase":"run","op":"like"}}}'
    writeFileSync(file, lines.join('\n'))
    const point = await rejection(ingestK6({ exportDir: summary.dir, outputs: [file] }))
    expect(point.message).toContain(`${file}:42: malformed LikeStorm point: no req tag`)
    lines[41] = '{"type":"Sample","metric":"x","data":{}}'
    writeFileSync(file, lines.join('\n'))
    expect((await rejection(ingestK6({ exportDir: summary.dir, outputs: [file] }))).message).toContain(':42: not a k6 JSON output line ("type" must be "Metric" or "Point"')
  })

  it('refuses output of another export, and an export folder that does not match its manifest', async () => {
    const other = exported('baseline')
    const mismatch = await rejection(ingestK6({ exportDir: other.dir, outputs: [one.run.files[0] as string] }))
    expect(mismatch.code).toBe('LS_K6_EXPORT_MISMATCH')
    expect(mismatch.message).toMatch(new RegExp(`belongs to export "${summary.manifest.exportId}", but --export names export ${other.manifest.exportId}`))
    const dir = scratchDir('mixed')
    copyFileSync(join(summary.dir, 'likestorm.json'), join(dir, 'likestorm.json'))
    copyFileSync(join(other.dir, 'workload.json'), join(dir, 'workload.json'))
    const mixed = await rejection(ingestK6({ exportDir: dir, outputs: [one.run.files[0] as string] }))
    expect(mixed.code).toBe('LS_K6_BAD_EXPORT')
    expect(mixed.message).toMatch(/workload.json does not match likestorm.json/)
    const missing = await rejection(ingestK6({ exportDir: scratchDir('empty'), outputs: [one.run.files[0] as string] }))
    expect(missing.code).toBe('LS_K6_BAD_EXPORT')
  })

  it('refuses output with no LikeStorm point', async () => {
    const file = join(scratchDir('none'), 'k6-out.json')
    writeFileSync(file, '{"type":"Metric","data":{"type":"gauge","contains":"default","thresholds":[],"submetrics":null},"metric":"vus"}\n{"type":"Point","data":{"time":"2024-05-01T12:00:00Z","value":1,"tags":null},"metric":"vus"}\n')
    const error = await rejection(ingestK6({ exportDir: summary.dir, outputs: [file] }))
    expect(error.code).toBe('LS_K6_BAD_OUTPUT')
    expect(error.message).toMatch(/no LikeStorm points/)
  })
})
