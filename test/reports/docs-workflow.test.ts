// The GitHub Actions example under docs/: its baseline is a valid result of the run the workflow
// makes, and every likestorm command line in it parses (flags that exist, values allowed).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { COMPARE_FLAGS, parseCompareLimits } from '../../cli/commands/compare.ts'
import { REPORT_FLAGS } from '../../cli/commands/report.ts'
import { parseRunSettings } from '../../cli/commands/run.ts'
import { parseFlags } from '../../cli/args.ts'
import { compareResults } from '../../reports/compare.ts'
import { readResultFile } from '../../result/result-file.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const workflow = readFileSync(join(ROOT, 'docs', 'github-actions', 'likestorm.yml'), 'utf8')

/** The workflow's top-level env values. */
function env(): Record<string, string> {
  const block = /^env:\n((?: {2}\w+: .+\n)+)/m.exec(workflow)?.[1] ?? ''
  return Object.fromEntries([...block.matchAll(/^ {2}(\w+): (.+)$/gm)].map((m) => [m[1] as string, (m[2] as string).trim()]))
}

/** Each `npx likestorm <command> …` line, continuation lines joined, env substituted, split into words. */
function likestormCommands(): string[][] {
  const vars = env()
  const joined = workflow.replace(/\\\n\s*/g, ' ')
  return [...joined.matchAll(/npx likestorm (.+)$/gm)].map((m) =>
    (m[1] as string)
      .replace(/\s*>.*$/, '')
      .replace(/\$(\w+)/g, (_, name: string) => vars[name] ?? `$${name}`)
      .replace(/"/g, '')
      .split(/\s+/)
      .filter((word) => word !== ''),
  )
}

describe('the GitHub Actions example', () => {
  const vars = env()

  it('names a committed baseline that is a valid result of the scenario it runs', () => {
    const baseline = readResultFile(join(ROOT, vars['BASELINE'] as string))
    expect(baseline.scenario.name).toBe(vars['SCENARIO'])
    expect(baseline.mode).toBe('sim')
    expect(baseline.passed).toBe(true)
    expect(compareResults(baseline, baseline).passed).toBe(true)
  })

  it('runs the same seed and scale as the baseline, with flags the commands accept', () => {
    const baseline = readResultFile(join(ROOT, vars['BASELINE'] as string))
    const commands = likestormCommands()
    // The header's refresh instructions name the same run as the job does.
    const runs = commands.filter(([command]) => command === 'run')
    expect(runs.length).toBeGreaterThanOrEqual(2)
    for (const [, ...argv] of runs) {
      const settings = parseRunSettings(argv)
      expect(settings.scenarios.map((s) => s.name)).toEqual([baseline.scenario.name])
      expect(settings.seed).toBe(baseline.seed)
      expect(settings.scale).toBe(baseline.scale)
    }
    const report = commands.find(([command]) => command === 'report') as string[]
    expect(parseFlags(report.slice(1), REPORT_FLAGS, 'report').positionals).toEqual([`${vars['OUT']}/${vars['SCENARIO']}/result.json`])
    const compare = commands.find(([command]) => command === 'compare') as string[]
    const parsed = parseFlags(compare.slice(1), COMPARE_FLAGS, 'compare')
    expect(parsed.positionals).toEqual([vars['BASELINE'], `${vars['OUT']}/${vars['SCENARIO']}/result.json`])
    expect(parseCompareLimits(parsed.values)).toEqual({ maxP99IncreasePct: 10, maxGoodputDropPct: 2, maxDetectionDropPts: 1 })
    expect(parsed.values['md']).toBe(true)
  })

  it('publishes the summary and uploads the HTML report whatever the outcome', () => {
    expect(workflow).toContain('>> "$GITHUB_STEP_SUMMARY"')
    expect(workflow).toMatch(/- name: Upload the HTML report and JUnit file\n\s+if: always\(\)\n\s+uses: actions\/upload-artifact@v4/)
    expect(workflow).toContain('report.html')
  })
})
