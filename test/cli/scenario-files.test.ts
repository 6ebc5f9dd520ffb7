// `likestorm run <file…>` and `likestorm new`: files next to library names, in command-line order;
// every problem at once (exit 2); result.json and the replay name the file; `new` writes a
// scenario (and a workflow) that runs as written, and never overwrites without --force.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXIT } from '../../cli/exit-codes.ts'
import { main } from '../../cli/main.ts'
import type { RunResult } from '../../result/result.ts'
import { captureIo } from '../helpers/io.ts'

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo()
  const code = await main(argv, io)
  return { code, ...io.text() }
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'likestorm-cli-files-'))
}

function readResult(path: string): RunResult {
  return JSON.parse(readFileSync(path, 'utf8')) as RunResult
}

const SMALL = ['--seed', '3', '--scale', '0.05', '--no-reports', '--quiet']

describe('likestorm run with scenario files', () => {
  it('runs files and library names in command-line order; result.json and the replay name the file', async () => {
    const dir = tempDir()
    const file = join(dir, 'short-day.json')
    writeFileSync(file, JSON.stringify({ extends: 'baseline', name: 'short-day', durationS: 30, load: { scenarios: { sessions: { executor: 'constant-arrival-rate', rate: 400, timeUnit: '1s', duration: '30s', preAllocatedVUs: 50, maxVUs: 500 } } } }))
    const out = join(dir, 'out')
    const { code, out: text, err } = await cli('run', file, 'baseline', ...SMALL, '--out', out)
    expect(err).toBe('')
    expect(code).toBe(EXIT.OK)
    expect(text.indexOf('short-day')).toBeLessThan(text.indexOf('baseline'))
    const result = readResult(join(out, 'short-day', 'result.json'))
    expect(result.scenario.file?.path).toBe(file)
    expect(result.scenario.file?.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(result.replay).toBe(`npx likestorm run ${file} --seed 3 --scale 0.05`)
    expect(result.config.durationS).toBe(30)
    expect(readResult(join(out, 'baseline', 'result.json')).scenario.file).toBeUndefined()
  })

  it('expands a quoted glob', async () => {
    const dir = tempDir()
    for (const name of ['one', 'two']) writeFileSync(join(dir, `${name}.scenario.json`), JSON.stringify({ extends: 'baseline', name, durationS: 20, load: { scenarios: { s: { executor: 'constant-arrival-rate', rate: 300, timeUnit: '1s', duration: '20s', preAllocatedVUs: 50, maxVUs: 500 } } } }))
    const { code } = await cli('run', `${dir}/*.scenario.json`, ...SMALL, '--out', join(dir, 'out'))
    expect(code).toBe(EXIT.OK)
    expect(['one', 'two'].map((name) => existsSync(join(dir, 'out', name, 'result.json')))).toEqual([true, true])
  })

  it('refuses invalid files before anything runs: exit 2, one line with every problem, its file and field', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ extends: 'overload-virginia', name: 'a', fualts: [], client: { maxAttempts: 50 }, checks: { run: ['no-such-check'] } }))
    writeFileSync(join(dir, 'b.mjs'), "export default { extends: 'baseline', name: 'b', durationS: -1 }\n")
    const { code, out, err } = await cli('run', join(dir, 'a.json'), join(dir, 'b.mjs'), ...SMALL, '--out', join(dir, 'out'))
    expect(code).toBe(EXIT.USAGE)
    expect(out).toBe('')
    expect(err.trim().split('\n')).toHaveLength(1)
    expect(err).toMatch(/^likestorm: \d+ problems in .*a\.json, .*b\.mjs: /)
    for (const fragment of ['a.json: fualts: unknown field', 'a.json: client.maxAttempts: must be an integer', 'a.json: checks.run: unknown check no-such-check', 'b.mjs: durationS: must be in (0, 86400]']) expect(err).toContain(fragment)
    expect(err).toMatch(/\[LS_BAD_SCENARIO\]\n$/)
    expect(existsSync(join(dir, 'out'))).toBe(false)
  })

  it('refuses two scenarios of one name, and a glob that matches nothing', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'again.json'), JSON.stringify({ extends: 'baseline', name: 'baseline' }))
    expect((await cli('run', 'baseline', join(dir, 'again.json'), ...SMALL)).err).toMatch(/two scenarios are named baseline.*\[LS_BAD_USAGE\]/)
    expect((await cli('run', `${dir}/*.ts`, ...SMALL)).err).toMatch(/no file matches .*\*\.ts \[LS_BAD_USAGE\]/)
  })
})

describe('likestorm new', () => {
  it.each(['ts', 'js', 'json'] as const)('writes a commented %s scenario that runs as written', async (format) => {
    const dir = tempDir()
    const written = await cli('new', `my-${format}`, '--format', format, '--dir', dir)
    expect(written.code).toBe(EXIT.OK)
    const file = join(dir, `my-${format}.scenario.${format === 'js' ? 'mjs' : format}`)
    const text = readFileSync(file, 'utf8')
    if (format !== 'json') expect(text).toContain(`//   npx likestorm run ./my-${format}.scenario.`)
    const run = await cli('run', file, '--seed', '7', '--scale', '0.1', '--no-reports', '--quiet', '--out', join(dir, 'out'))
    expect(run.err).toBe('')
    expect(run.code).toBe(EXIT.OK)
    expect(readResult(join(dir, 'out', `my-${format}`, 'result.json')).faults.map((fault) => fault.kind)).toEqual(['overload'])
  })

  it('writes a GitHub Actions workflow that runs the scenario and uploads its reports', async () => {
    const dir = tempDir()
    const written = await cli('new', 'gate', '--ci', 'github', '--dir', dir)
    expect(written.code).toBe(EXIT.OK)
    // The workflow installs likestorm with `npm ci`: a project that does not list it is told.
    expect(written.out).toMatch(/note: package\.json does not list likestorm/)
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ devDependencies: { likestorm: 'file:vendor/likestorm-0.1.0.tgz' } }))
    expect((await cli('new', 'gate', '--ci', 'github', '--dir', dir, '--force')).out).not.toMatch(/does not list likestorm/)
    const workflow = readFileSync(join(dir, '.github', 'workflows', 'likestorm-gate.yml'), 'utf8')
    expect(workflow).toContain('run: npx likestorm run ./gate.scenario.ts --seed 7 --scale 0.25')
    expect(workflow).toMatch(/if: always\(\)\n\s+uses: actions\/upload-artifact@v4\n\s+with:\n\s+name: likestorm-gate\n\s+path: out\/gate\//)
  })

  it('never overwrites without --force, and refuses a name that cannot name a folder', async () => {
    const dir = tempDir()
    expect((await cli('new', 'twice', '--dir', dir)).code).toBe(EXIT.OK)
    writeFileSync(join(dir, 'twice.scenario.ts'), '// mine\n')
    const again = await cli('new', 'twice', '--dir', dir)
    expect(again.code).toBe(EXIT.USAGE)
    expect(again.err).toMatch(/twice\.scenario\.ts already exists \(--force replaces it\) \[LS_BAD_USAGE\]/)
    expect(readFileSync(join(dir, 'twice.scenario.ts'), 'utf8')).toBe('// mine\n')
    expect((await cli('new', 'twice', '--dir', dir, '--force')).code).toBe(EXIT.OK)
    expect(readFileSync(join(dir, 'twice.scenario.ts'), 'utf8')).toContain('defineScenario')
    expect((await cli('new', 'Bad Name', '--dir', dir)).err).toMatch(/lower-case letters, digits and dashes .*\[LS_BAD_USAGE\]/)
    expect((await cli('new', 'x', '--format', 'yaml', '--dir', dir)).err).toMatch(/--format must be one of ts, js, json/)
  })
})
