// Scenario files: loaded in every format, `extends` applied, every problem of every file reported
// at once with its file and field path, and the examples of examples/scenarios/ run as written.
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { expandGlob } from '../../cli/file-glob.ts'
import { validateResult } from '../../result/result-schema.ts'
import { UsageError } from '../../scenarios/errors.ts'
import { scenarioByName } from '../../scenarios/library/index.ts'
import { runScenario } from '../../scenarios/run/runner.ts'
import { validateScenario } from '../../scenarios/validate.ts'
import { resolveDefinition } from '../../scenarios/scenario-definition.ts'
import { loadScenarioFiles, withScenarioFile } from '../../scenarios/scenario-file.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const EXAMPLES = join(ROOT, 'examples', 'scenarios')

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'likestorm-scenario-file-'))
}

async function problemsOf(paths: readonly string[], cwd: string, mode: 'sim' | 'http' = 'sim'): Promise<readonly string[]> {
  try {
    await loadScenarioFiles(paths, { cwd, mode })
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    expect(error.code).toBe('LS_BAD_SCENARIO')
    return error.problems
  }
  throw new Error('the files were accepted')
}

describe('a scenario file with mistakes', () => {
  it('gets all three mistakes reported, each with the file and its field path', async () => {
    const dir = tempDir()
    writeFileSync(
      join(dir, 'three.json'),
      JSON.stringify({
        extends: 'overload-virginia',
        name: 'three-mistakes',
        fualts: [],
        client: { maxAttempts: 50 },
        checks: { run: ['no-such-check'] },
      }),
    )
    const problems = await problemsOf(['three.json'], dir)
    expect(problems).toHaveLength(3)
    expect(problems[0]).toMatch(/^three\.json: fualts: unknown field; known: name, extends/)
    expect(problems).toContainEqual('three.json: client.maxAttempts: must be an integer from 1 to 10')
    expect(problems).toContainEqual(expect.stringMatching(/^three\.json: checks\.run: unknown check no-such-check/))
  })

  it('reports the problems of every file at once, and wrong shapes before the rules', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ extends: 'no-such-base', name: 'a' }))
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ name: 'b', durationS: '60', faults: {}, world: {}, load: {}, system: { capacityRps: {} }, summary: 's' }))
    writeFileSync(join(dir, 'c.json'), '{ "name": ')
    writeFileSync(join(dir, 'd.mjs'), 'export const scenario = {}\n')
    const problems = await problemsOf(['a.json', 'b.json', 'c.json', 'd.mjs', 'missing.json'], dir)
    expect(problems).toEqual([
      expect.stringMatching(/^a\.json: extends: unknown library scenario "no-such-base"; known: baseline, overload-virginia/),
      expect.stringMatching(/^a\.json: summary: required \(or `extends`/),
      expect.stringMatching(/^a\.json: durationS: required/),
      expect.stringMatching(/^a\.json: world: required/),
      expect.stringMatching(/^a\.json: load: required/),
      expect.stringMatching(/^a\.json: system: required/),
      'b.json: durationS: must be a number, got string "60"',
      'b.json: faults: must be a list, got an object',
      'c.json: does not load: Unexpected end of JSON input',
      'd.mjs: does not load: has no default export (export default defineScenario({ … }))',
      'missing.json: cannot be read (ENOENT)',
    ])
  })

  it('is checked with the rules of its mode: a closed-model load runs in mode http only', async () => {
    const path = join(EXAMPLES, 'service-load.scenario.ts')
    const problems = await problemsOf([path], ROOT, 'sim')
    expect(problems).toEqual([expect.stringMatching(/service-load\.scenario\.ts: load\.scenarios\.users\.executor: ramping-vus is a closed-model executor; .*--mode http/)])
    const [loaded] = await loadScenarioFiles([path], { cwd: ROOT, mode: 'http' })
    expect(loaded?.scenario.name).toBe('service-load')
  })
})

describe('extends', () => {
  it('keeps the base and replaces what the file gives; world, system, client and checks merge one level deep', () => {
    const base = scenarioByName('overload-virginia')
    const { scenario, problems } = resolveDefinition(
      { extends: 'overload-virginia', name: 'mine', world: { videos: 900 }, faults: [{ kind: 'overload', region: 'us-east', factor: 2, startS: 10, endS: 20 }] },
      { mode: 'sim' },
    )
    expect(problems).toEqual([])
    expect(scenario?.world).toEqual({ ...base?.world, videos: 900 })
    expect(scenario?.faults).toEqual([{ kind: 'overload', region: 'us-east', factor: 2, startS: 10, endS: 20 }])
    expect(scenario?.load).toEqual(base?.load)
    expect(scenario?.checks).toEqual(base?.checks)
    expect(scenario?.expect).toEqual(base?.expect)
    // The run is the file's: reports carry its name, not the base's title.
    expect(scenario?.title).toBe('mine')
  })

  it('is the same as spreading the library scenario (the TypeScript way)', () => {
    const spread = resolveDefinition({ ...scenarioByName('baseline'), name: 'spread' }, { mode: 'sim' })
    const extended = resolveDefinition({ extends: 'baseline', name: 'spread' }, { mode: 'sim' })
    expect(spread.problems).toEqual([])
    expect({ ...spread.scenario, title: 'x' }).toEqual({ ...extended.scenario, title: 'x' })
  })
})

describe('the examples of examples/scenarios/', () => {
  it('load from TypeScript with their digest, and run in mode sim as written', async () => {
    const paths = ['incident.scenario.ts', 'ci-gate.scenario.ts'].map((name) => join(EXAMPLES, name))
    const loaded = await loadScenarioFiles(paths, { cwd: ROOT, mode: 'sim' })
    expect(loaded.map((entry) => entry.scenario.name)).toEqual(['virginia-incident', 'ci-gate'])
    for (const [i, entry] of loaded.entries()) {
      expect(entry.file.sha256).toBe(createHash('sha256').update(readFileSync(paths[i] as string)).digest('hex'))
      const { result } = runScenario({ scenario: entry.scenario, seed: 3, scale: 0.1, strategy: 'robust' })
      expect(result.checks.filter((check) => check.status === 'fail').map((check) => check.name)).toEqual([])
      expect(result.verdict).toBe('pass')
    }
    expect(loaded[0]?.scenario.faults.map((fault) => fault.kind)).toEqual(['overload', 'slow-cache'])
  })

  it('the farm library loads and is valid (its numbers are in docs/detectors.md; a run of it is not a unit test)', async () => {
    const [entry] = await loadScenarioFiles([join(EXAMPLES, 'farm-library.scenario.ts')], { cwd: ROOT, mode: 'sim' })
    expect(entry?.scenario.name).toBe('farm-library')
    expect(validateScenario(entry!.scenario)).toEqual([])
    expect(entry?.scenario.world?.farms?.map((farm) => farm.label)).toEqual(['careless', 'stealthy', 'aged', 'hijacked', 'paid-humans', 'drip', 'sleeper', 'reuse', 'returns', 'views'])
  })
})

describe('a result of a file scenario', () => {
  it('records one path however the file was named, so that the replay records the same', async () => {
    const named = await loadScenarioFiles(['examples/scenarios/ci-gate.scenario.ts', './examples/scenarios/incident.scenario.ts'], { cwd: ROOT, mode: 'sim' })
    expect(named.map((entry) => entry.file.path)).toEqual(['examples/scenarios/ci-gate.scenario.ts', 'examples/scenarios/incident.scenario.ts'])
  })

  it('records the file and its digest and replays by naming the file', async () => {
    const [entry] = await loadScenarioFiles(['examples/scenarios/ci-gate.scenario.ts'], { cwd: ROOT, mode: 'sim' })
    if (entry === undefined) throw new Error('not loaded')
    const { result } = runScenario({ scenario: entry.scenario, seed: 5, scale: 0.05, strategy: 'naive' })
    const recorded = withScenarioFile(result, entry.file)
    expect(recorded.scenario.file).toEqual({ path: 'examples/scenarios/ci-gate.scenario.ts', sha256: entry.file.sha256 })
    expect(recorded.replay).toBe('npx likestorm run ./examples/scenarios/ci-gate.scenario.ts --seed 5 --strategy naive --scale 0.05')
    expect(validateResult(JSON.parse(JSON.stringify(recorded)))).toEqual([])
    expect(validateResult({ ...recorded, scenario: { ...recorded.scenario, file: { path: 'x', sha256: 'not-hex' } } })).toEqual([expect.stringMatching(/result\.scenario\.file\.sha256/)])
    expect(withScenarioFile(result, { path: 'my scenarios/it.json', sha256: entry.file.sha256 }).replay).toMatch(/^npx likestorm run '\.\/my scenarios\/it\.json' --seed 5/)
  })
})

describe('globs', () => {
  it('match within a folder with * and across folders with **, sorted, skipping node_modules', () => {
    const dir = tempDir()
    for (const path of ['a.scenario.ts', 'b.scenario.json', 'notes.md', 'team/c.scenario.ts', 'team/deep/d.scenario.ts', 'node_modules/x/e.scenario.ts']) {
      mkdirSync(join(dir, path, '..'), { recursive: true })
      writeFileSync(join(dir, path), '')
    }
    expect(expandGlob('*.scenario.*', dir)).toEqual(['a.scenario.ts', 'b.scenario.json'])
    expect(expandGlob('**/*.scenario.ts', dir)).toEqual(['a.scenario.ts', 'team/c.scenario.ts', 'team/deep/d.scenario.ts'])
    expect(expandGlob('team/?.scenario.ts', dir)).toEqual(['team/c.scenario.ts'])
    expect(expandGlob(`${dir}/team/*.ts`, '/')).toEqual([`${dir}/team/c.scenario.ts`])
    expect(expandGlob('nothing/*.ts', dir)).toEqual([])
  })
})
