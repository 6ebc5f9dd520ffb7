// The k6 script's TypeScript source is type-checked against @types/k6: by the project's
// `tsc --noEmit` (npm test), and on its own with the ES2017 library, k6's types and no Node
// (scenarios/k6/script/tsconfig.json), so neither a Node API nor a newer built-in gets into
// script.js. A misuse of a k6 API or of Node fails that program.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '..', '..')
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
const SCRIPT_DIR = join(ROOT, 'scenarios', 'k6', 'script')
const TYPES = join(ROOT, 'node_modules', '@types')

function tsc(args: readonly string[]): { code: number; output: string } {
  try {
    const output = execFileSync(process.execPath, [TSC, ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    return { code: 0, output }
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string }
    return { code: failed.status, output: `${failed.stdout}${failed.stderr}` }
  }
}

const temp = mkdtempSync(join(tmpdir(), 'likestorm-k6-types-'))
afterAll(() => rmSync(temp, { recursive: true, force: true }))

/** A program of one file, checked as the script is (its tsconfig), with k6 resolved from this repository. */
function checkAsScript(name: string, source: string): { code: number; output: string } {
  const dir = mkdtempSync(join(temp, `${name}-`))
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n')
  writeFileSync(join(dir, `${name}.ts`), source)
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: join(SCRIPT_DIR, 'tsconfig.json'),
      compilerOptions: { typeRoots: [TYPES], paths: { k6: [join(TYPES, 'k6', 'index.d.ts')], 'k6/*': [join(TYPES, 'k6', '*', 'index.d.ts')] } },
      files: [join(dir, `${name}.ts`)],
    }),
  )
  return tsc(['-p', join(dir, 'tsconfig.json')])
}

describe('the k6 script source', () => {
  it('type-checks on its own: ES2017 library, @types/k6, no Node', () => {
    const result = tsc(['-p', join(SCRIPT_DIR, 'tsconfig.json')])
    expect(result.output).toBe('')
    expect(result.code).toBe(0)
  })

  it('is part of the program npm test type-checks (tsc --noEmit -p .)', () => {
    const result = tsc(['--listFilesOnly', '-p', '.'])
    expect(result.code).toBe(0)
    const files = result.output.split('\n').map((line) => line.trim())
    for (const file of readdirSync(SCRIPT_DIR).filter((f) => f.endsWith('.ts'))) expect(files).toContain(join(SCRIPT_DIR, file))
    expect(files.some((file) => file.endsWith(join('@types', 'k6', 'http', 'index.d.ts')))).toBe(true)
  })

  it('fails on a misused k6 API', () => {
    const good = checkAsScript('good', "/// <reference types=\"k6\" />\nimport http from 'k6/http'\nimport exec from 'k6/execution'\nexport function probe(): number {\n  http.get('http://127.0.0.1:8080/healthz')\n  return exec.scenario.iterationInTest\n}\n")
    expect(good.output).toBe('')
    const bad = checkAsScript('bad', "/// <reference types=\"k6\" />\nimport http from 'k6/http'\nexport function probe(): void {\n  http.get(42)\n}\n")
    expect(bad.code).not.toBe(0)
    expect(bad.output).toMatch(/bad\.ts\(4,\d+\): error TS2345/)
  })

  it('fails on a Node API and on a built-in newer than ES2017', () => {
    const node = checkAsScript('node', 'export const target: string = process.env["TARGET"] ?? ""\n')
    expect(node.output).toMatch(/Cannot find name 'process'/)
    const newer = checkAsScript('newer', 'export const flat: number[] = [[1], [2]].flat()\n')
    expect(newer.output).toMatch(/Property 'flat' does not exist/)
  })
})
