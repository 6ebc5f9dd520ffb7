// likestorm new <name> [--format ts|js|json] [--ci github] [--dir DIR] [--force]: a commented
// scenario file in the user's project (and a GitHub Actions workflow that runs it), ready to run.
// Nothing is overwritten unless --force.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { UsageError } from '../../scenarios/errors.ts'
import { choiceFlag, parseFlags, stringFlag, type FlagSpec } from '../args.ts'
import { EXIT } from '../exit-codes.ts'
import { githubWorkflow, scenarioFileName, scenarioTemplate, TEMPLATE_FORMATS } from '../scenario-template.ts'

export const NEW_FLAGS = {
  format: { type: 'string', value: 'ts|js|json', help: 'the scenario file\'s language (default ts: <name>.scenario.ts; js: .mjs)' },
  ci: { type: 'string', value: 'github', help: 'also write .github/workflows/likestorm-<name>.yml: runs the scenario on every push and pull request, uploads its reports' },
  dir: { type: 'string', value: 'DIR', help: 'the project\'s folder to write into (default: this one)' },
  force: { type: 'boolean', help: 'replace files that exist (default: refuse, exit 2)' },
} as const satisfies FlagSpec

const NAME = /^[a-z][a-z0-9-]{0,63}$/

export function newCommand(argv: readonly string[], io: { out: NodeJS.WritableStream }, cwd = process.cwd()): number {
  const { values, positionals } = parseFlags(argv, NEW_FLAGS, 'new')
  const [name, ...extra] = positionals
  if (name === undefined || extra.length > 0) throw new UsageError('LS_BAD_USAGE', 'likestorm new: name one scenario, e.g. likestorm new checkout-incident')
  if (!NAME.test(name)) throw new UsageError('LS_BAD_USAGE', `likestorm new: the name must be lower-case letters, digits and dashes (it names out/<name>/), got ${JSON.stringify(name)}`)
  const format = choiceFlag(values.format, '--format', TEMPLATE_FORMATS, 'ts')
  const ci = values.ci === undefined ? undefined : choiceFlag(values.ci, '--ci', ['github'] as const, 'github')
  const dir = resolve(cwd, stringFlag(values.dir, '.'))
  const files = [{ path: join(dir, scenarioFileName(name, format)), text: scenarioTemplate(name, format) }]
  if (ci !== undefined) files.push({ path: join(dir, '.github', 'workflows', `likestorm-${name}.yml`), text: githubWorkflow(name, format) })
  const existing = files.filter((file) => existsSync(file.path)).map((file) => relative(cwd, file.path))
  if (existing.length > 0 && values.force !== true) throw new UsageError('LS_BAD_USAGE', `likestorm new: ${existing.join(', ')} already exists (--force replaces it)`)
  for (const file of files) {
    mkdirSync(join(file.path, '..'), { recursive: true })
    writeFileSync(file.path, file.text)
    io.out.write(`wrote ${relative(cwd, file.path)}\n`)
  }
  const scenario = relative(cwd, files[0]?.path ?? '')
  io.out.write(`run it: npx likestorm run ./${scenario} --seed 7 --scale 0.25\n`)
  if (format === 'ts') io.out.write('it imports defineScenario from likestorm: the package must be installed in this project (see docs/install.md)\n')
  if (ci !== undefined && !listsLikestorm(join(dir, 'package.json'))) {
    io.out.write('note: package.json does not list likestorm, so the workflow\'s `npm ci` will not install it: npm install --save-dev <path to likestorm-x.y.z.tgz> (commit the tarball and package-lock.json; see docs/install.md)\n')
  }
  return EXIT.OK
}

/** Whether the project's package.json has likestorm among its dependencies. */
function listsLikestorm(path: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, unknown> | undefined>
    return ['dependencies', 'devDependencies', 'optionalDependencies'].some((field) => manifest[field]?.['likestorm'] !== undefined)
  } catch {
    return false
  }
}
