// The "Programmatic API" example (docs/api.md) is api-example.test.ts, word for word, so the example
// a team copies is one our suite runs.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '..', '..')

describe('the README', () => {
  it('shows test/reports/api-example.test.ts verbatim in docs/api.md', () => {
    const example = readFileSync(join(import.meta.dirname, 'api-example.test.ts'), 'utf8')
    const section = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8')
    expect(section).toContain(`\`\`\`ts\n${example}\`\`\``)
    expect(example).toContain("from 'likestorm'")
  })

  it('keeps its first lines: the two commands', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    expect(readme.split('\n').slice(0, 6).join('\n')).toBe(
      '# LikeStorm\n\n```sh\nnpm ci && npm start   # the main job: a tour of the scenario library, robust vs naive, with a summary\nnpm ci && npm test    # the tests: type-check (tsc --noEmit) and vitest\n```',
    )
  })
})
