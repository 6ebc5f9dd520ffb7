// docs/k6.md, "Running beyond one machine": the exact commands, with flags the commands accept, and
// every error code of the k6 commands.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseFlags } from '../../cli/args.ts'
import { EXPORT_K6_FLAGS } from '../../cli/commands/export-k6.ts'
import { INGEST_K6_FLAGS } from '../../cli/commands/ingest-k6.ts'
import { K6_ERROR_CODES } from '../../scenarios/k6/errors.ts'

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8')
const section = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'k6.md'), 'utf8')

describe('docs/k6.md: Running beyond one machine', () => {
  it('exists, with the commands to export, run with k6, run with the k6 operator, and ingest', () => {
    expect(section.startsWith('# Running beyond one machine\n')).toBe(true)
    for (const command of [
      'npx likestorm export-k6 overload-virginia --seed 7 --scale 0.1 --out out/k6-export/overload-virginia',
      'npx likestorm serve --scenario overload-virginia --seed 7 --scale 0.1 --admin-token "$ADMIN_TOKEN" &',
      '(cd out/k6-export/overload-virginia && k6 run --out json=k6-out.json script.js)',
      'npx likestorm ingest-k6 out/k6-export/overload-virginia/k6-out.json --export out/k6-export/overload-virginia',
      'kubectl create configmap likestorm-overload-virginia --from-file=script.js --from-file=workload.json',
      'kubectl apply -f k6-operator-testrun.yaml',
    ]) {
      expect(section).toContain(command)
    }
    expect(section).toMatch(/TestRun/)
    expect(section).toMatch(/parallelism/)
  })

  it('uses only flags the commands accept', () => {
    const lines = section.split('\n').map((line) => line.replace(/^.*?(npx likestorm (export|ingest)-k6 .*?)(`|$|\s+#.*$)/, '$1')).filter((line) => /^npx likestorm (export|ingest)-k6 /.test(line))
    expect(lines.length).toBeGreaterThanOrEqual(3)
    for (const line of lines) {
      const [, , command, ...argv] = line.split(/\s+/)
      expect(() => parseFlags(argv, command === 'export-k6' ? EXPORT_K6_FLAGS : INGEST_K6_FLAGS, command as string), line).not.toThrow()
    }
  })

  it('documents every error code of the k6 commands', () => {
    for (const code of Object.keys(K6_ERROR_CODES)) expect(section).toMatch(new RegExp(`\\| \`${code}\` \\| `))
  })

  it('keeps the README\'s first lines as they are', () => {
    expect(readme.startsWith('# LikeStorm\n\n```sh\nnpm ci && npm start')).toBe(true)
  })
})
