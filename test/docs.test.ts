// The README and docs/ as a newcomer reads them: the README stays short, every relative link
// leads to a file that exists, and every `npx likestorm …` command line names a command and flags
// that command accepts (a renamed flag breaks this test, not a user's first try).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseAllDocuments } from 'yaml'
import { parseFlags, type FlagSpec } from '../cli/args.ts'
import { COMPARE_FLAGS } from '../cli/commands/compare.ts'
import { EXPORT_K6_FLAGS } from '../cli/commands/export-k6.ts'
import { INGEST_K6_FLAGS } from '../cli/commands/ingest-k6.ts'
import { NEW_FLAGS } from '../cli/commands/new.ts'
import { REPORT_FLAGS } from '../cli/commands/report.ts'
import { RUN_FLAGS } from '../cli/commands/run-settings.ts'
import { SERVE_FLAGS } from '../cli/commands/serve.ts'
import { SWARM_FLAGS } from '../cli/commands/swarm.ts'
import { SWARM_MERGE_FLAGS } from '../cli/commands/swarm-merge.ts'
import { TOUR_FLAGS } from '../cli/commands/tour.ts'
import { WORLD_FLAGS } from '../cli/commands/world.ts'

const ROOT = join(import.meta.dirname, '..')
const README_BYTES_MAX = 12 * 1024

const FLAGS: Readonly<Record<string, FlagSpec>> = {
  list: {},
  help: {},
  '--version': {},
  run: RUN_FLAGS,
  tour: TOUR_FLAGS,
  swarm: SWARM_FLAGS,
  'swarm-merge': SWARM_MERGE_FLAGS,
  serve: SERVE_FLAGS,
  report: REPORT_FLAGS,
  compare: COMPARE_FLAGS,
  'export-k6': EXPORT_K6_FLAGS,
  'ingest-k6': INGEST_K6_FLAGS,
  new: NEW_FLAGS,
  world: WORLD_FLAGS,
}

function markdownFiles(): string[] {
  const docs = join(ROOT, 'docs')
  const files = [join(ROOT, 'README.md')]
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (name.endsWith('.md')) files.push(path)
    }
  }
  walk(docs)
  return files
}

const pages = markdownFiles().map((path) => ({ path, name: path.slice(ROOT.length + 1), text: readFileSync(path, 'utf8') }))

/** Lines of the fenced code blocks of a page. */
function codeLines(text: string): string[] {
  return [...text.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].flatMap((m) => (m[1] as string).split('\n'))
}

describe('the README and docs/', () => {
  it(`keep the README under ${README_BYTES_MAX / 1024} KB`, () => {
    expect(Buffer.byteLength(pages[0]?.text ?? '')).toBeLessThanOrEqual(README_BYTES_MAX)
  })

  it('link only to files that exist', () => {
    const broken: string[] = []
    for (const page of pages) {
      for (const match of page.text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = (match[1] as string).split('#')[0] as string
        if (target === '' || /^[a-z]+:/.test(target)) continue
        if (!existsSync(resolve(dirname(page.path), decodeURI(target)))) broken.push(`${page.name} → ${target}`)
      }
    }
    expect(broken).toEqual([])
  })

  it('show only commands and flags the likestorm command accepts', () => {
    const problems: string[] = []
    let commands = 0
    for (const page of pages) {
      for (const raw of codeLines(page.text)) {
        const match = /npx likestorm (\S+)(.*)$/.exec(raw)
        if (match === null) continue
        commands++
        const command = match[1] as string
        const flags = FLAGS[command]
        if (flags === undefined) {
          problems.push(`${page.name}: unknown command in ${raw.trim()}`)
          continue
        }
        const words = (match[2] as string).replace(/\s+#.*$/, '').replace(/\s*&\s*$/, '').trim()
        // A synopsis line ([--flag] <arg>) documents the flags; a real command line must parse.
        if (/[[<]/.test(words)) {
          for (const flag of words.matchAll(/--([a-z0-9-]+)/g)) if (!Object.hasOwn(flags, flag[1] as string)) problems.push(`${page.name}: ${command} has no --${flag[1]}`)
          continue
        }
        const argv = words.split(/\s+/).filter((word) => word !== '').map((word) => word.replace(/^"|"$/g, '').replace(/\$\w+/g, 'value'))
        try {
          parseFlags(argv, flags, command)
        } catch (error) {
          problems.push(`${page.name}: ${raw.trim()}: ${(error as Error).message}`)
        }
      }
    }
    expect(commands).toBeGreaterThan(20)
    expect(problems).toEqual([])
  })

  it('show YAML (workflows, Kubernetes objects) that parses, and a swarm matrix that runs every shard once', () => {
    const blocks = pages.flatMap((page) => [...page.text.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => ({ page: page.name, documents: parseAllDocuments(m[1] as string) })))
    expect(blocks.flatMap(({ page, documents }) => documents.flatMap((document) => document.errors.map((error) => `${page}: ${error.message}`)))).toEqual([])
    const workflow = blocks.find(({ page }) => page === 'docs/distributed.md')?.documents[0]?.toJS() as { jobs: Record<string, { needs?: string; if?: string; strategy?: { matrix: { shard: number[] } }; steps: Array<{ run?: string }> }> }
    const shards = workflow.jobs['shard']?.strategy?.matrix.shard ?? []
    const run = workflow.jobs['shard']?.steps.find((step) => step.run?.includes('likestorm swarm'))?.run ?? ''
    expect(shards).toEqual(Array.from({ length: shards.length }, (_, i) => i + 1))
    expect(run).toContain(`--shard \${{ matrix.shard }}/${shards.length}`)
    expect(workflow.jobs['merge']).toMatchObject({ needs: 'shard', if: 'always()' })
    expect(workflow.jobs['merge']?.steps.some((step) => step.run?.startsWith('npx likestorm swarm-merge'))).toBe(true)
  })
})
