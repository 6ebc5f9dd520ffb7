// The GitHub Actions example of docs/github-actions/: its env and its likestorm command lines, as
// the docs test checks them and the package test runs them in an installed project.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export const WORKFLOW_PATH = join(import.meta.dirname, '..', '..', 'docs', 'github-actions', 'likestorm.yml')

export function workflowText(): string {
  return readFileSync(WORKFLOW_PATH, 'utf8')
}

/** The workflow's top-level env values. */
export function workflowEnv(workflow = workflowText()): Record<string, string> {
  const block = /^env:\n((?: {2}\w+: .+\n)+)/m.exec(workflow)?.[1] ?? ''
  return Object.fromEntries([...block.matchAll(/^ {2}(\w+): (.+)$/gm)].map((m) => [m[1] as string, (m[2] as string).trim()]))
}

/**
 * Each `npx likestorm <command> …` line of one job (or of the whole file, comments included),
 * continuation lines joined, env substituted, quotes and redirections dropped, split into words.
 */
export function workflowCommands({ job, workflow = workflowText() }: { job?: string; workflow?: string } = {}): string[][] {
  const vars = workflowEnv(workflow)
  const text = job === undefined ? workflow : jobText(workflow, job)
  const joined = text.replace(/\\\n\s*/g, ' ')
  return [...joined.matchAll(/npx likestorm (.+)$/gm)].map((m) =>
    (m[1] as string)
      .replace(/\s*[>&].*$/, '')
      .replace(/\$(\w+)/g, (_, name: string) => vars[name] ?? `$${name}`)
      .replace(/"/g, '')
      .split(/\s+/)
      .filter((word) => word !== ''),
  )
}

function jobText(workflow: string, job: string): string {
  const start = workflow.indexOf(`\n  ${job}:\n`)
  if (start < 0) throw new Error(`the workflow has no job ${job}`)
  const next = /\n {2}[\w-]+:\n/.exec(workflow.slice(start + 1))
  return workflow.slice(start, next === null ? undefined : start + 1 + next.index)
}
