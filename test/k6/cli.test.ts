// The export-k6 and ingest-k6 commands: what they print, write and exit with.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { exportK6Command } from '../../cli/commands/export-k6.ts'
import { ingestK6Command } from '../../cli/commands/ingest-k6.ts'
import { EXIT } from '../../cli/exit-codes.ts'
import { readResultFile } from '../../result/result-file.ts'
import type { ExportManifest } from '../../scenarios/k6/manifest.ts'
import type { ScriptPlan } from '../../scenarios/k6/script-plan.ts'
import { captureIo } from '../helpers/io.ts'
import { scratchDir } from './helpers/exports.ts'
import { fakeK6Run } from './helpers/fake-k6-run.ts'

describe('likestorm export-k6 and ingest-k6', () => {
  const exportDir = join(scratchDir('cli'), 'baseline')

  it('exports a scenario and says how to run and judge it', () => {
    const io = captureIo()
    expect(exportK6Command(['baseline', '--out', exportDir, '--seed', '7', '--scale', '0.05'], io)).toBe(EXIT.OK)
    const { out } = io.text()
    expect(out).toContain(`exported baseline (seed 7, scale 0.05) for k6 ≥ 0.46.0 → ${exportDir}`)
    expect(out).toContain('k6 scenarios: sessions, likestorm_extra, likestorm_faults, likestorm_final')
    expect(out).toContain(`judge: npx likestorm ingest-k6 ${exportDir}/k6-out.json --export ${exportDir}`)
    for (const file of ['script.js', 'workload.json', 'likestorm.json', 'README.md', 'k6-operator-testrun.yaml']) expect(existsSync(join(exportDir, file)), file).toBe(true)
  })

  it('refuses bad usage with a one-line reason', () => {
    const io = captureIo()
    expect(() => exportK6Command(['baseline'], io)).toThrow(/--out DIR is required/)
    expect(() => exportK6Command(['nope', '--out', 'x'], io)).toThrow(expect.objectContaining({ code: 'LS_UNKNOWN_SCENARIO' }))
    expect(() => exportK6Command(['baseline', 'storm', '--out', 'x'], io)).toThrow(/name one scenario/)
    expect(() => exportK6Command(['baseline', '--out', 'x', '--scale', '0'], io)).toThrow(/--scale must be a number in \(0, 1000\]/)
    expect(() => exportK6Command(['baseline', '--out', 'x', '--target', 'ftp://a'], io)).toThrow(/--target: "ftp:\/\/a" is not an http\(s\) origin/)
    expect(() => ingestK6Command(['--export', exportDir], io)).toThrow(/name the k6 JSON output file/)
    expect(() => ingestK6Command(['k6-out.json'], io)).toThrow(/--export DIR is required/)
  })

  it('ingests a run, writes result.json and the reports, and exits 0 when every check passes', async () => {
    const plan = planOf(exportDir)
    const run = fakeK6Run({ exportDir, plan, outDir: scratchDir('cli-run') })
    const outDir = scratchDir('cli-out')
    const io = captureIo()
    const code = await ingestK6Command([...run.files, '--export', exportDir, '--out', outDir], io)
    const { out, err } = io.text()
    expect(err).toMatch(/^likestorm: note: operations were sent [\d.]+ ms after their due time at the median, [\d.]+ ms at p99, [\d.]+ ms at most \([\d,]+ first attempts\)\n$/)
    expect(out).toContain(`ingested ${run.attempts.toLocaleString('en-US')} request attempts from 1 k6 output file(s)`)
    expect(out).toContain('strategy k6-target · mode http')
    expect(out).toMatch(/ \([\d.]+ s to ingest\)/)
    expect(readResultFile(join(outDir, 'result.json')).checks.filter((c) => c.status === 'fail')).toEqual([])
    expect(code).toBe(EXIT.OK)
    for (const file of ['report.html', 'summary.md', 'junit.xml']) expect(existsSync(join(outDir, file)), file).toBe(true)
  })

  it('exports a scenario file with the scenario in its manifest, and ingest judges by it', async () => {
    const dir = scratchDir('cli-file')
    const file = join(dir, 'my-baseline.scenario.json')
    writeFileSync(file, JSON.stringify({ extends: 'baseline', name: 'my-baseline', title: 'Our baseline' }))
    const fileExport = join(dir, 'export')
    const io = captureIo()
    expect(await exportK6Command([file, '--out', fileExport, '--scale', '0.05'], io)).toBe(EXIT.OK)
    expect(io.text().out).toContain('exported my-baseline (seed 7, scale 0.05)')
    const manifest = JSON.parse(readFileSync(join(fileExport, 'likestorm.json'), 'utf8')) as ExportManifest
    expect(manifest.scenarioFile?.path).toBe(file)
    expect(manifest.definition).toMatchObject({ name: 'my-baseline', title: 'Our baseline' })
    const run = fakeK6Run({ exportDir: fileExport, plan: planOf(fileExport), outDir: scratchDir('cli-file-run') })
    const outDir = scratchDir('cli-file-out')
    expect(await ingestK6Command([...run.files, '--export', fileExport, '--out', outDir], captureIo())).toBe(EXIT.OK)
    const result = readResultFile(join(outDir, 'result.json'))
    expect(result.scenario).toMatchObject({ name: 'my-baseline', file: { path: file } })
    expect(result.replay).toMatch(new RegExp(`^npx likestorm export-k6 ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} --seed 7 --scale 0.05 `))
  })

  it('exits 1 when a check fails, and 2 with file:line on a malformed output', async () => {
    const plan = planOf(exportDir)
    const run = fakeK6Run({ exportDir, plan, outDir: scratchDir('cli-lost'), plantLostLike: true })
    const io = captureIo()
    expect(await ingestK6Command([...run.files, '--export', exportDir, '--out', scratchDir('cli-lost-out')], io)).toBe(EXIT.CHECK_FAILED)
    expect(io.text().out).toMatch(/✗ no-lost-likes/)
    const broken = join(scratchDir('cli-bad'), 'k6-out.json')
    writeFileSync(broken, `${readFileSync(run.files[0] as string, 'utf8').split('\n').slice(0, 2).join('\n')}\n{"type":"Point",\n`)
    const bad = captureIo()
    expect(await ingestK6Command([broken, '--export', exportDir], bad)).toBe(EXIT.USAGE)
    expect(bad.text().err).toMatch(new RegExp(`^likestorm: ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: not a JSON line .* \\[LS_K6_BAD_OUTPUT\\]\\n$`))
  })
})

/** The plan the export bundled into script.js (the fake k6 run needs it as the script does). */
function planOf(dir: string): ScriptPlan {
  const script = readFileSync(join(dir, 'script.js'), 'utf8')
  const match = /\/\/ <define:__LIKESTORM_PLAN__>\nvar [\w$]+ = (.*);\n/.exec(script)
  if (match === null) throw new Error('no plan in script.js')
  return new Function(`return (${match[1] as string})`)() as ScriptPlan
}
