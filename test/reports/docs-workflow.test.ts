// The GitHub Actions example under docs/: its baseline is a valid result of the run the workflow
// makes, and every likestorm command line in it parses (flags that exist, values allowed).
import { basename, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { COMPARE_FLAGS, parseCompareLimits } from '../../cli/commands/compare.ts'
import { REPORT_FLAGS } from '../../cli/commands/report.ts'
import { parseRunSettings } from '../../cli/commands/run.ts'
import { parseFlags } from '../../cli/args.ts'
import { SERVE_FLAGS } from '../../cli/commands/serve.ts'
import { loadScenarioFiles } from '../../scenarios/scenario-file.ts'
import { compareResults } from '../../reports/compare.ts'
import { readResultFile } from '../../result/result-file.ts'
import { workflowCommands, workflowEnv, workflowText } from '../helpers/workflow.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const workflow = workflowText()
const EXAMPLES = join(ROOT, 'examples', 'scenarios')

describe('the GitHub Actions example', () => {
  const vars = workflowEnv()

  // The baseline a user commits beside the file: here, the result of the example it copies.
  const baselinePath = join(ROOT, 'docs', 'github-actions', 'baseline', `${vars['SCENARIO']}.result.json`)

  it('names a committed baseline that is a valid result of the scenario file it runs', () => {
    const baseline = readResultFile(baselinePath)
    expect(baseline.scenario.file?.path).toBe(vars['SCENARIO_FILE'])
    expect(baseline.scenario.name).toBe(vars['SCENARIO'])
    expect(baseline.mode).toBe('sim')
    expect(baseline.passed).toBe(true)
    expect(compareResults(baseline, baseline).passed).toBe(true)
  })

  it('runs the same seed and scale as the baseline, with flags the commands accept', () => {
    const baseline = readResultFile(baselinePath)
    const commands = workflowCommands({ job: 'gate' }).concat(workflowCommands().filter((argv) => argv[0] === 'run' && argv.includes(vars['SCENARIO_FILE'] as string)).slice(-1))
    // The header's refresh instructions name the same run as the job does.
    const runs = commands.filter(([command]) => command === 'run')
    expect(runs.length).toBeGreaterThanOrEqual(2)
    for (const [, ...argv] of runs) {
      const settings = parseRunSettings(argv)
      expect(argv).toContain(vars['SCENARIO_FILE'])
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

  it('drives the service job in mode http against loopback, with a scenario file that allows it', async () => {
    const [serve, run] = workflowCommands({ job: 'service' })
    expect(serve?.[0]).toBe('serve')
    parseFlags((serve as string[]).slice(1), SERVE_FLAGS, 'serve')
    const settings = parseRunSettings((run as string[]).slice(1))
    expect(settings).toMatchObject({ mode: 'http', http: { target: 'http://127.0.0.1:8080' } })
    const file = (run as string[])[1] as string
    const [loaded] = await loadScenarioFiles([join(EXAMPLES, basename(file))], { cwd: ROOT, mode: 'http' })
    expect(loaded?.scenario.name).toBe('service-load')
  })

  it('publishes the summary and uploads the HTML report whatever the outcome', () => {
    expect(workflow).toContain('>> "$GITHUB_STEP_SUMMARY"')
    expect(workflow).toMatch(/- name: Upload the HTML report and JUnit file\n\s+if: always\(\)\n\s+uses: actions\/upload-artifact@v4/)
    expect(workflow).toMatch(/- name: Publish the JUnit file as test results\n\s+if: always\(\)\n\s+uses: mikepenz\/action-junit-report@v5/)
    expect(workflow).toContain('report.html')
  })
})
