// What `likestorm new` writes (pure: text from a name): a commented scenario file in TypeScript,
// JavaScript or JSON, and a GitHub Actions workflow that runs it. The scenario starts from the
// library's overload-virginia and changes its fault, so it runs as written and shows each field.

export type TemplateFormat = 'ts' | 'js' | 'json'

export const TEMPLATE_FORMATS: readonly TemplateFormat[] = ['ts', 'js', 'json']

/** The file name for a scenario: `<name>.scenario.ts`; JavaScript as .mjs, an ES module in any project. */
export function scenarioFileName(name: string, format: TemplateFormat): string {
  return `${name}.scenario.${format === 'js' ? 'mjs' : format}`
}

const FIELDS = (name: string): string => `  // Start from a library scenario (likestorm list): its world, load, capacities, checks and
  // expectations, each replaced by what this file gives.
  extends: 'overload-virginia',
  // Results go to out/<name>/result.json; lower-case letters, digits and dashes.
  name: '${name}',
  title: '${name}: us-east overloaded for a minute',
  summary: 'us-east takes 3x its capacity for 60 s. Every acknowledged like is kept, reads never show a made-up 0, shed requests are fast and goodput recovers after the load drops.',
  // Scenario seconds (150 in overload-virginia); --scale multiplies population and load, not time.
  // durationS: 150,
  // The world: regions, users, videos, bot farms (defaults in the docs). Merged into the base's.
  // world: { videos: 2000 },
  // The load as k6 options; the base's: 800 sessions/s with latency thresholds.
  // load: { scenarios: { sessions: { executor: 'constant-arrival-rate', rate: 800, timeUnit: '1s', duration: '150s', preAllocatedVUs: 200, maxVUs: 4000 } } },
  // Faults in scenario seconds: overload, region-outage, partition, slow-cache, bot-purge, takedown, …
  faults: [{ kind: 'overload', region: 'us-east', factor: 3, startS: 30, endS: 90 }],
  // Checks to run and their settings; the base's goodput check watches us-east during the overload.
  // checks: { config: { goodput: { region: 'us-east', minShareOfCapacity: 0.8, recoveryS: 20, minRecoveredShare: 0.95 } } },
  // Which checks each strategy is expected to fail: none for a correct system.
  expect: { robust: { failing: [] } },`

/** The scenario file's text. */
export function scenarioTemplate(name: string, format: TemplateFormat): string {
  const run = `npx likestorm run ./${scenarioFileName(name, format)} --seed 7 --scale 0.25`
  if (format === 'json') return `${JSON.stringify(jsonScenario(name), null, 2)}\n`
  const header = `// ${name}: a LikeStorm scenario. Run it with\n//   ${run}\n// (--mode http drives it over real sockets). Every field: node_modules/likestorm/docs/scenarios.md\n`
  if (format === 'ts') return `${header}import { defineScenario } from 'likestorm'\n\nexport default defineScenario({\n${FIELDS(name)}\n})\n`
  return `${header}\n/** @type {import('likestorm').ScenarioDefinition} */\nexport default {\n${FIELDS(name)}\n}\n`
}

/** JSON has no comments: the same scenario, its fields only (docs/scenarios.md says what each one is). */
function jsonScenario(name: string): Record<string, unknown> {
  return {
    extends: 'overload-virginia',
    name,
    title: `${name}: us-east overloaded for a minute`,
    summary: 'us-east takes 3x its capacity for 60 s. Every acknowledged like is kept, reads never show a made-up 0, shed requests are fast and goodput recovers after the load drops.',
    faults: [{ kind: 'overload', region: 'us-east', factor: 3, startS: 30, endS: 90 }],
    expect: { robust: { failing: [] } },
  }
}

/** A GitHub Actions workflow: install, run the scenario, publish the summary, upload the reports. */
export function githubWorkflow(name: string, format: TemplateFormat): string {
  const file = scenarioFileName(name, format)
  return `# Runs the LikeStorm scenario ${file} on every push and pull request (written by likestorm new).
# The job fails when a check fails (exit 1) or the scenario is not valid (exit 2); the reports are
# uploaded whatever the outcome. \`npm ci\` installs likestorm: it must be in package.json and
# package-lock.json (docs/install.md). A gate with a committed baseline and a job for your own
# service over HTTP: docs/github-actions/likestorm.yml in the package.
name: likestorm ${name}
on: [push, pull_request]
jobs:
  likestorm:
    runs-on: ubuntu-latest
    timeout-minutes: 20
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - name: Run ${file}
        run: npx likestorm run ./${file} --seed 7 --scale 0.25 --quiet
      - name: Publish the summary
        if: always()
        run: cat out/${name}/summary.md >> "$GITHUB_STEP_SUMMARY" || true
      - name: Upload the HTML report and JUnit file
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: likestorm-${name}
          path: out/${name}/
`
}
