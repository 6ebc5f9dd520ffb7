// likestorm export-k6: every library scenario exports to a script k6 v0.46+ parses (ES2017
// modules), a workload that round-trips and deals each session to an iteration that starts in
// time, a manifest ingest-k6 can judge against, and a README; the same seed gives the same bytes.
import { parse } from 'acorn'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Options } from 'k6/options'
import { UsageError } from '../../scenarios/errors.ts'
import { buildExport, sha256 } from '../../scenarios/k6/export.ts'
import { faultEvents } from '../../scenarios/k6/script-plan.ts'
import { prepareRun } from '../../scenarios/run/run-setup.ts'
import { FAULTS_SCENARIO, FINAL_SCENARIO } from '../../scenarios/k6/export-options.ts'
import { parseManifest } from '../../scenarios/k6/manifest.ts'
import { EXTRA_SCENARIO, iterationsStartedBy, LEAD_MAX_MS } from '../../scenarios/k6/session-deal.ts'
import { OP_FIELDS, OpField, SESSION_HEAD, WORKLOAD_FORMAT, type SessionRow, type WorkloadFile } from '../../scenarios/k6/workload.ts'
import { LIBRARY } from '../../scenarios/library/index.ts'
import { LIKESTORM_VERSION } from '../../scenarios/version.ts'
import { exported, libraryScenario, scratchDir, smallScale } from './helpers/exports.ts'

interface Node {
  readonly type: string
  readonly source?: { readonly value: string }
  readonly specifiers?: ReadonlyArray<{ readonly exported: { readonly name: string } }>
}

describe.each(LIBRARY.map((scenario) => scenario.name))('export of %s (small scale)', (name) => {
  const summary = exported(name)
  const scale = smallScale(name)
  const script = readFileSync(summary.files.script, 'utf8')
  const workloadText = readFileSync(summary.files.workload, 'utf8')
  const workload = JSON.parse(workloadText) as WorkloadFile

  it('bundles a script that parses as ES2017 modules, imports only k6 and exports what k6 runs', () => {
    const program = parse(script, { ecmaVersion: 2017, sourceType: 'module' }) as unknown as { body: Node[] }
    const imports = program.body.filter((node) => node.type === 'ImportDeclaration').map((node) => node.source?.value)
    expect(imports.length).toBeGreaterThan(0)
    for (const source of imports) expect(source).toMatch(/^k6(\/[a-z]+)?$/)
    const exportedNames = program.body.filter((node) => node.type === 'ExportNamedDeclaration').flatMap((node) => (node.specifiers ?? []).map((s) => s.exported.name))
    expect(exportedNames.sort()).toEqual(['default', 'likestormFaults', 'likestormFinal', 'options'])
  })

  it('keeps the scenario thresholds and its k6 scenarios, and adds the faults and final scenarios', () => {
    const options = summary.options
    expect(options.thresholds).toEqual(libraryScenario(name).load.thresholds)
    const names = Object.keys(options.scenarios ?? {})
    for (const own of Object.keys(libraryScenario(name).load.scenarios ?? {})) expect(names).toContain(own)
    expect(names).toContain(FAULTS_SCENARIO)
    expect(names).toContain(FINAL_SCENARIO)
    expect(options.scenarios?.[FAULTS_SCENARIO]).toMatchObject({ executor: 'per-vu-iterations', vus: 1, iterations: 1, exec: 'likestormFaults' })
    expect(options.scenarios?.[FINAL_SCENARIO]).toMatchObject({ executor: 'shared-iterations', iterations: workload.final.tasks.length, exec: 'likestormFinal' })
    // The options are printed in script.js as k6 will read them.
    expect(script).toContain(JSON.stringify(options, null, 2))
  })

  it('writes a workload that round-trips and holds every operation once, in start order', () => {
    expect(`${JSON.stringify(workload)}\n`).toBe(workloadText)
    expect(workload).toMatchObject({ format: WORKLOAD_FORMAT, scenario: name, seed: 7, scale })
    const rows = Object.values(workload.sessions).flat().filter((row): row is SessionRow => row !== null)
    expect(rows.length).toBe(summary.manifest.sessions)
    const reqs = new Set<number>()
    const problems: string[] = []
    let operations = 0
    for (const list of Object.values(workload.sessions)) {
      const kept = list.filter((row): row is SessionRow => row !== null)
      for (let i = 1; i < kept.length; i++) if ((kept[i] as SessionRow)[1] < (kept[i - 1] as SessionRow)[1]) problems.push(`session ${i} starts before the one before it`)
    }
    for (const row of rows) {
      let offset = 0
      if ((row.length - SESSION_HEAD) % OP_FIELDS !== 0 || row.length === SESSION_HEAD) problems.push(`session ${row[0]} has a partial operation`)
      for (let at = SESSION_HEAD; at < row.length; at += OP_FIELDS) {
        const field = (f: number): number => row[at + f] as number
        if (field(OpField.OffsetMs) < offset) problems.push(`session ${row[0]}: offsets go backwards`)
        offset = field(OpField.OffsetMs)
        if (![0, 1, 2, 3, 4].includes(field(OpField.Kind))) problems.push(`session ${row[0]}: kind ${field(OpField.Kind)}`)
        if (field(OpField.KeyId) > field(OpField.Req)) problems.push(`request ${field(OpField.Req)} carries the key of a later request`)
        if (reqs.has(field(OpField.Req))) problems.push(`request ${field(OpField.Req)} twice`)
        reqs.add(field(OpField.Req))
        operations++
      }
    }
    expect(problems.slice(0, 5)).toEqual([])
    expect(operations).toBe(summary.manifest.operations)
    expect(workload.final.videos.length).toBeGreaterThan(0)
  })

  it('deals each session to an iteration that starts by the session time (the extra scenario: within its second), and at most LEAD_MAX_MS before it', () => {
    const sessionLoad: Options = { scenarios: { ...summary.options.scenarios } }
    for (const [scenario, list] of Object.entries(workload.sessions)) {
      expect([...Object.keys(libraryScenario(name).load.scenarios ?? {}), EXTRA_SCENARIO]).toContain(scenario)
      const started = iterationsStartedBy(sessionLoad, scenario)
      const slackMs = scenario === EXTRA_SCENARIO ? 1000 : 0
      const late = list.findIndex((row, i) => row !== null && started(row[1] + slackMs) < i + 1)
      expect(late, `${scenario} session ${late}`).toBe(-1)
      if (scenario === EXTRA_SCENARIO) continue
      const early = list.findIndex((row, i) => row !== null && started(row[1] - LEAD_MAX_MS - 1) >= i + 1)
      expect(early, `${scenario} session ${early} waits longer than ${LEAD_MAX_MS} ms`).toBe(-1)
      expect(list.some((row) => row === null), 'an executor running ahead of the world leaves holes').toBe(true)
    }
  })

  it('writes a manifest with scenario, seed, scale, target, version and the files it wrote', () => {
    const manifest = parseManifest(JSON.parse(readFileSync(summary.files.manifest, 'utf8')), 'likestorm.json')
    expect(manifest).toMatchObject({ scenario: name, seed: 7, scale, target: 'http://127.0.0.1:8080', likestormVersion: LIKESTORM_VERSION, adminTokenEnv: 'ADMIN_TOKEN' })
    expect(manifest.urls).toEqual({ 'us-east': 'http://127.0.0.1:8080', 'us-west': 'http://127.0.0.1:8081', 'eu-west': 'http://127.0.0.1:8082', 'ap-southeast': 'http://127.0.0.1:8083' })
    expect(manifest.files['script.js']).toBe(sha256(script))
    expect(manifest.files['workload.json']).toBe(sha256(workloadText))
    expect(manifest.k6.scenarios).toEqual(Object.keys(summary.options.scenarios ?? {}))
  })

  it('writes a README with the commands to run it locally, with the k6 operator, and to ingest it', () => {
    const readme = readFileSync(summary.files.readme, 'utf8')
    expect(readme).toContain(`npx likestorm serve --scenario ${name} --seed 7 --scale ${scale} --admin-token "$ADMIN_TOKEN"`)
    expect(readme).toContain('k6 run --out json=k6-out.json script.js')
    expect(readme).toContain(`npx likestorm ingest-k6 k6-out.json --export ${summary.dir}`)
    expect(readme).toContain('--execution-segment 0:1/2 --execution-segment-sequence 0,1/2,1')
    expect(readme).toContain('kind: TestRun')
    expect(readme).toContain('parallelism: 4')
    expect(readFileSync(summary.files.testRun, 'utf8')).toContain('subPathExpr: $(POD_NAME)')
    expect(readme).toContain('one port per region from 8080')
    expect(readme).toMatch(/k6 versions: v0\.46 and later run the script .*\ntested with a real k6 v0\.46\.0, v0\.48\.0, v1\.3\.0\./)
  })

  it('writes a README whose serve command listens where --target says', () => {
    const built = buildExport({ scenario: libraryScenario('baseline'), seed: 7, scale: 0.05, outDir: 'x', target: 'http://127.0.0.1:28480' })
    expect(built.files.readme).toContain('npx likestorm serve --scenario baseline --seed 7 --scale 0.05 --port 28480 --admin-token "$ADMIN_TOKEN"')
    expect(built.files.readme).toContain('one port per region from 28480')
    expect(built.files.readme).not.toContain('8080')
    const spread = buildExport({ scenario: libraryScenario('baseline'), seed: 7, scale: 0.05, outDir: 'x', target: 'us-east=http://a.example:80,us-west=http://b.example:81,eu-west=https://c.example,ap-southeast=http://d.example:9000' })
    expect(spread.files.readme).toContain('serving this world at the URLs above')
    expect(spread.files.readme).not.toContain('from 8080')
  })
})

describe('export-k6', () => {
  it('writes the same bytes for the same seed, scale and code', () => {
    const first = buildExport({ scenario: libraryScenario('storm'), seed: 11, scale: 0.05, outDir: 'a' })
    const second = buildExport({ scenario: libraryScenario('storm'), seed: 11, scale: 0.05, outDir: 'a' })
    expect(second.files.workload).toBe(first.files.workload)
    expect(second.files.script).toBe(first.files.script)
    expect(second.files.manifest).toBe(first.files.manifest)
    const other = buildExport({ scenario: libraryScenario('storm'), seed: 12, scale: 0.05, outDir: 'a' })
    expect(other.files.workload).not.toBe(first.files.workload)
    expect(other.manifest.exportId).not.toBe(first.manifest.exportId)
  })

  it('hands the scenario k6 options unchanged at scale 1 but for VUs sized from the schedule, and scales their rates with --scale', () => {
    const scenario = libraryScenario('overload-virginia')
    const full = buildExport({ scenario, seed: 7, scale: 1, outDir: 'x' })
    for (const [name, k6Scenario] of Object.entries(scenario.load.scenarios ?? {})) {
      const vus = full.options.scenarios?.[name] as { preAllocatedVUs: number; maxVUs: number }
      expect(vus).toEqual({ ...k6Scenario, preAllocatedVUs: vus.preAllocatedVUs, maxVUs: vus.preAllocatedVUs })
    }
    expect(full.options.thresholds).toEqual(scenario.load.thresholds)
    const small = exported('overload-virginia').options.scenarios?.['sessions'] as { preAllocatedVUs: number }
    expect(small).toEqual({ executor: 'constant-arrival-rate', rate: 40, timeUnit: '1s', duration: '150s', preAllocatedVUs: small.preAllocatedVUs, maxVUs: small.preAllocatedVUs })
    // 40 sessions a second, each waiting up to a second, lasting ~2 s and allowed a 2 s timeout: a few hundred VUs, every one allocated up front.
    expect(small.preAllocatedVUs).toBeGreaterThan(100)
    expect(small.preAllocatedVUs).toBeLessThan(400)
  })

  it('turns the fault timeline into admin API calls: overload on the server, outages, purges', () => {
    const faults = exported('storm').plan.faults
    expect(faults.map((f) => `${f.atMs} ${f.action} ${f.request.path} ${f.request.body}`)).toEqual([
      '60000 start /admin/v1/faults {"kind":"overload","action":"start","region":"us-east","factor":3}',
      '80000 start /admin/v1/faults {"kind":"region-outage","action":"start","region":"us-west"}',
      '95000 purge /admin/v1/purges/bot {}',
      '110000 stop /admin/v1/faults {"kind":"region-outage","action":"stop","region":"us-west"}',
      '120000 stop /admin/v1/faults {"kind":"overload","action":"stop","region":"us-east"}',
    ])
    expect(exported('ddos').plan.faults).toEqual([])
    // The ddos flood is traffic: far more sessions than the executor starts, run on time by likestorm_extra.
    expect(exported('ddos').stats.perScenario[EXTRA_SCENARIO]).toBeGreaterThan(exported('ddos').stats.perScenario['sessions'] ?? 0)
  })

  it('switches a network-loss through the admin API (a target refusing it has it reported as not applied by ingest-k6)', () => {
    const scenario = { ...libraryScenario('baseline'), faults: [{ kind: 'network-loss', region: 'eu-west', share: 0.2, startS: 30, endS: 90 } as const] }
    const events = faultEvents(scenario.faults, prepareRun({ scenario, seed: 7, scale: smallScale('baseline') }))
    expect(events.map((f) => `${f.atMs} ${f.action} ${f.request.path} ${f.request.body}`)).toEqual([
      '30000 start /admin/v1/faults {"kind":"network-loss","action":"start","region":"eu-west","share":0.2}',
      '90000 stop /admin/v1/faults {"kind":"network-loss","action":"stop","region":"eu-west"}',
    ])
  })

  it('takes a target per region, and refuses one that is not an origin', () => {
    const scenario = libraryScenario('baseline')
    const built = buildExport({ scenario, seed: 7, scale: 0.05, outDir: 'x', target: 'us-east=http://a.example:80,us-west=http://b.example:81,eu-west=https://c.example,ap-southeast=http://d.example:9000' })
    expect(built.manifest.urls).toEqual({ 'us-east': 'http://a.example:80', 'us-west': 'http://b.example:81', 'eu-west': 'https://c.example:443', 'ap-southeast': 'http://d.example:9000' })
    const refused = (target: string): UsageError => {
      try {
        buildExport({ scenario, seed: 7, scale: 0.05, outDir: 'x', target })
      } catch (error) {
        return error as UsageError
      }
      throw new Error('not refused')
    }
    expect(refused('127.0.0.1:8080').message).toMatch(/--target: "127.0.0.1:8080" is not an http\(s\) origin/)
    expect(refused('us-east=http://a:1').message).toMatch(/no URL for us-west, eu-west, ap-southeast/)
    expect(refused('mars=http://a:1').code).toBe('LS_BAD_FLAG')
  })

  it('refuses a scenario whose k6 scenarios name their own exec function', () => {
    const base = libraryScenario('baseline')
    const sessions = base.load.scenarios?.['sessions']
    if (sessions === undefined) throw new Error('baseline has no sessions scenario')
    const scenario = { ...base, load: { ...base.load, scenarios: { sessions: { ...sessions, exec: 'browse' } } } }
    expect(() => buildExport({ scenario, seed: 7, scale: 0.05, outDir: scratchDir('bad') })).toThrow(expect.objectContaining({ code: 'LS_K6_UNSUPPORTED_SCENARIO' }))
  })

  it('says in the manifest which k6 scenarios it added', () => {
    const manifest = JSON.parse(readFileSync(join(exported('baseline').dir, 'likestorm.json'), 'utf8')) as { k6: { scenarios: string[]; minVersion: string } }
    expect(manifest.k6.minVersion).toBe('0.46.0')
    expect(manifest.k6.scenarios).toEqual(['sessions', EXTRA_SCENARIO, FAULTS_SCENARIO, FINAL_SCENARIO])
  })
})
