// The package as a user gets it: `npm pack` (which builds dist/), installed into an empty project,
// then the installed command runs a library scenario in mode sim and mode http, the user's own
// TypeScript scenario and one `likestorm new` wrote; a plain .mjs file imports the API; and the
// declarations type a scenario (a wrong executor does not compile).
import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { validateResult } from '../../result/result-schema.ts'
import { workflowCommands, workflowEnv } from '../helpers/workflow.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const NPM_FLAGS = ['--no-audit', '--no-fund', '--loglevel=error']

let dir = ''
let project = ''
let packedFiles: string[] = []

function npm(args: readonly string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

/** The installed command, as `npx likestorm` would run it (no tsx, no sources). */
function likestorm(...argv: string[]): { code: number | null; out: string; err: string } {
  const run = spawnSync(join(project, 'node_modules', '.bin', 'likestorm'), argv, { cwd: project, encoding: 'utf8', timeout: 120_000 })
  return { code: run.status, out: run.stdout, err: run.stderr }
}

function result(name: string): Record<string, unknown> {
  const value = JSON.parse(readFileSync(join(project, 'out', name, 'result.json'), 'utf8')) as Record<string, unknown>
  expect(validateResult(value)).toEqual([])
  return value
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'likestorm-pack-'))
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir, ...NPM_FLAGS], ROOT)) as Array<{ filename: string; files: Array<{ path: string }> }>
  if (packed === undefined) throw new Error('npm pack wrote nothing')
  packedFiles = packed.files.map((file) => file.path)
  project = join(dir, 'project')
  mkdirSync(project)
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'likestorm-user', private: true, type: 'module' }))
  const tarball = join(dir, packed.filename)
  // From npm's cache when `npm ci` filled it; else from the registry.
  try {
    npm(['install', '--offline', ...NPM_FLAGS, tarball], project)
  } catch {
    npm(['install', '--prefer-offline', ...NPM_FLAGS, tarball], project)
  }
}, 180_000)

// The project holds a whole node_modules: gone with the test.
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('the packed package', () => {
  it('holds the build, its declarations and the files read at run time, not the sources or tests', () => {
    for (const path of [
      'bin/likestorm.js',
      'dist/cli/main.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/cli/commands/sim-thread-entry.mjs',
      'dist/scenarios/run/http/embedded-server-entry.mjs',
      'dist/scenarios/run/traffic-pipe/traffic-worker-entry.mjs',
      'dist/scenarios/k6/script/main.ts',
      'dist/reports/html/report.css',
      'dist/result/result-schema.json',
      'docs/scenarios.md',
    ]) {
      expect(packedFiles).toContain(path)
    }
    expect(packedFiles.filter((path) => path.startsWith('test/') || path.startsWith('cli/') || path === 'index.ts')).toEqual([])
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules', 'likestorm', 'package.json'), 'utf8')) as { private?: boolean }
    expect(manifest.private).toBeUndefined()
  })

  it('runs a library scenario in mode sim, with its reports', () => {
    const run = likestorm('run', 'baseline', '--seed', '3', '--scale', '0.05', '--quiet')
    expect(run.err).toBe('')
    expect(run.code).toBe(0)
    expect(result('baseline')['mode']).toBe('sim')
    expect(readFileSync(join(project, 'out', 'baseline', 'report.html'), 'utf8')).toContain('uPlot')
  })

  it('answers --version, --help and a mistyped flag as the issue asks', () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version
    expect(likestorm('--version')).toEqual({ code: 0, out: `likestorm ${version}\n`, err: '' })
    const help = likestorm('run', '--help')
    expect(help.code).toBe(0)
    expect(help.out).toContain('--seed <N>')
    const typo = likestorm('run', 'baseline', '--sed', '3')
    expect(typo.code).toBe(2)
    expect(typo.err).toMatch(/did you mean --seed\?.*\[LS_BAD_FLAG\]\n$/)
  })

  it('runs the mode-http example scenario on its embedded server thread', () => {
    copyFileSync(join(ROOT, 'examples', 'scenarios', 'service-load.scenario.ts'), join(project, 'service-load.scenario.ts'))
    const run = likestorm('run', './service-load.scenario.ts', '--mode', 'http', '--seed', '3', '--scale', '0.05', '--time-scale', '0.1', '--no-reports', '--quiet')
    // A verdict on the wall clock may be inconclusive on a busy machine (exit 3); never a crash or a failure.
    expect(run.err).toBe('')
    expect([0, 3]).toContain(run.code)
    expect(result('service-load')['mode']).toBe('http')
  })

  it('runs the gate job of the GitHub Actions example as written, against its committed baseline', () => {
    const vars = workflowEnv()
    mkdirSync(join(project, 'likestorm', 'baseline'), { recursive: true })
    copyFileSync(join(ROOT, 'examples', 'scenarios', `${vars['SCENARIO']}.scenario.ts`), join(project, vars['SCENARIO_FILE'] as string))
    copyFileSync(join(ROOT, 'docs', 'github-actions', 'baseline', `${vars['SCENARIO']}.result.json`), join(project, vars['BASELINE'] as string))
    const commands = workflowCommands({ job: 'gate' })
    expect(commands.map((argv) => argv[0])).toEqual(['run', 'report', 'compare'])
    for (const argv of commands) {
      const step = likestorm(...argv)
      expect(step.err, argv.join(' ')).toBe('')
      expect(step.code, argv.join(' ')).toBe(0)
    }
    expect(readFileSync(join(project, vars['OUT'] as string, vars['SCENARIO'] as string, 'junit.xml'), 'utf8')).toContain('<testsuite')
  })

  it("runs the user's TypeScript scenario and one `likestorm new` wrote, with no setup", () => {
    copyFileSync(join(ROOT, 'examples', 'scenarios', 'incident.scenario.ts'), join(project, 'incident.ts'))
    expect(likestorm('new', 'gate').code).toBe(0)
    const run = likestorm('run', './incident.ts', './gate.scenario.ts', '--seed', '3', '--scale', '0.1', '--no-reports', '--quiet')
    expect(run.err).toBe('')
    expect(run.code).toBe(0)
    const incident = result('virginia-incident')
    expect(incident['replay']).toBe('npx likestorm run ./incident.ts --seed 3 --scale 0.1')
    expect((incident['scenario'] as { file: { path: string } }).file.path).toBe('incident.ts')
    expect(result('gate')['verdict']).toBe('pass')
  })

  it("runs the user's own system (--system) from the examples, typed by the declarations", () => {
    mkdirSync(join(project, 'systems'), { recursive: true })
    for (const file of ['set-counter.ts', 'set-store.ts', 'set-replication.ts', 'set-inbox.ts']) copyFileSync(join(ROOT, 'examples', 'systems', file), join(project, 'systems', file))
    const run = likestorm('run', 'like-flap', '--system', './systems/set-counter.ts', '--seed', '3', '--scale', '0.05', '--no-reports', '--quiet')
    expect(run.err).toBe('')
    expect(run.code).toBe(0)
    expect(result('like-flap')['system']).toMatchObject({ name: 'set-counter', path: 'systems/set-counter.ts', interfaceVersion: 1 })
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', target: 'es2022', noEmit: true, allowImportingTsExtensions: true, skipLibCheck: true, types: [] }, files: ['systems/set-counter.ts'] }))
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: project, encoding: 'utf8' })
    expect({ code: tsc.status, out: tsc.stdout }).toEqual({ code: 0, out: '' })
  })

  it('exports the k6 script the sources export, from the entry it ships prebundled', () => {
    const args = ['export-k6', 'baseline', '--scale', '0.05', '--out']
    expect(likestorm(...args, 'k6').code).toBe(0)
    const fromSources = join(dir, 'from-sources')
    mkdirSync(fromSources)
    execFileSync(process.execPath, [join(ROOT, 'bin', 'likestorm.js'), ...args, 'k6'], { cwd: fromSources, encoding: 'utf8' })
    // The same code; esbuild's comments naming each source file and where it puts k6's imports differ.
    const code = (path: string): { imports: string[]; body: string[] } => {
      const lines = readFileSync(path, 'utf8').split('\n').filter((line) => line !== '' && !/^\/\/ \S+\.ts$/.test(line))
      return { imports: lines.filter((line) => line.startsWith('import ')).sort(), body: lines.filter((line) => !line.startsWith('import ')) }
    }
    const packaged = code(join(project, 'k6', 'script.js'))
    expect(packaged.imports).toContain('import http from "k6/http";')
    expect(packaged).toEqual(code(join(fromSources, 'k6', 'script.js')))
  })

  it('imports the API from a plain .mjs file', () => {
    writeFileSync(
      join(project, 'api.mjs'),
      `import { defineScenario, runScenario, scenarioByName, validateResult } from 'likestorm'
const scenario = defineScenario({ ...scenarioByName('baseline'), name: 'api' })
const { result } = runScenario({ scenario, seed: 3, scale: 0.05, strategy: 'robust' })
console.log(JSON.stringify({ verdict: result.verdict, problems: validateResult(JSON.parse(JSON.stringify(result))) }))
`,
    )
    const out = execFileSync(process.execPath, ['api.mjs'], { cwd: project, encoding: 'utf8' })
    expect(JSON.parse(out)).toEqual({ verdict: 'pass', problems: [] })
  })

  it('types a scenario from its declarations: k6 Options for the load, a wrong executor does not compile', () => {
    const tsc = (file: string): { code: number | null; out: string } => {
      writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', target: 'es2022', noEmit: true, skipLibCheck: true, types: [] }, files: [file] }))
      const run = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: project, encoding: 'utf8' })
      return { code: run.status, out: run.stdout }
    }
    expect(tsc('incident.ts')).toEqual({ code: 0, out: '' })
    const source = readFileSync(join(project, 'gate.scenario.ts'), 'utf8')
    writeFileSync(join(project, 'wrong.ts'), `${source}\nexport const wrong = defineScenario({ name: 'x', load: { scenarios: { s: { executor: 'no-such-executor' } } } })\n`)
    const wrong = tsc('wrong.ts')
    expect(wrong.code).not.toBe(0)
    expect(wrong.out).toMatch(/no-such-executor/)
  })
})
