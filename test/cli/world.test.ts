// likestorm world export: the run's world as NDJSON for a team's own service: a header, every
// account, every video with its creator, the seeded likes; the same bytes for the same scenario,
// seed and scale, to a file or to standard output. A wrong action or a missing --out is one line, exit 2.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { EXIT } from '../../cli/exit-codes.ts'
import { main } from '../../cli/main.ts'
import { prepareRun } from '../../scenarios/run/run-setup.ts'
import { captureIo } from '../helpers/io.ts'
import { scenario } from '../helpers/runs.ts'

const dir = mkdtempSync(join(tmpdir(), 'likestorm-world-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function exportWorld(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo()
  const code = await main(['world', 'export', ...args], io)
  return { code, ...io.text() }
}

function records(text: string): Array<Record<string, unknown>> {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

describe('likestorm world export', () => {
  it('writes the header, every account, every video with its creator: the world the run builds', async () => {
    const path = join(dir, 'baseline.ndjson')
    const { code, out } = await exportWorld(['baseline', '--scale', '0.05', '--seed', '3', '--out', path])
    expect(code).toBe(EXIT.OK)
    expect(out).toMatch(/^wrote .*baseline\.ndjson: the world of baseline \(seed 3, scale 0\.05\): 1,000 users, 100 videos with their creators, 0 seeded likes, regions us-east, us-west, eu-west, ap-southeast\n/)
    const [header, ...rest] = records(readFileSync(path, 'utf8'))
    expect(header).toEqual({ type: 'world', format: 'likestorm-world', version: 1, scenario: 'baseline', seed: 3, scale: 0.05, regions: ['us-east', 'us-west', 'eu-west', 'ap-southeast'], users: 1000, videos: 100, likes: 0, idPattern: '^[A-Za-z0-9_.-]{1,128}$' })
    const users = rest.filter((r) => r['type'] === 'user')
    const videos = rest.filter((r) => r['type'] === 'video')
    expect([users.length, videos.length, rest.length]).toEqual([1000, 100, 1100])
    const { population } = prepareRun({ scenario: scenario('baseline'), seed: 3, scale: 0.05 })
    expect(users.map((u) => u['userId'])).toEqual([...population.userIds])
    expect(videos.map((v) => [v['videoId'], v['creatorId']])).toEqual([...population.videoIds].map((videoId, video) => [videoId, population.userIds.get(population.videoCreator[video] as number)]))
    for (const id of [...users.map((u) => u['userId']), ...videos.map((v) => v['videoId'])]) expect(id).toMatch(new RegExp(header?.['idPattern'] as string))
  })

  it('gives the same bytes again, to standard output with --out -, and the seeded likes of a world that has them', async () => {
    const path = join(dir, 'purge.ndjson')
    await exportWorld(['inactive-purge', '--scale', '0.05', '--out', path])
    const again = await exportWorld(['inactive-purge', '--scale', '0.05', '--out', '-'])
    expect(again.out).toBe(readFileSync(path, 'utf8'))
    const [header, ...rest] = records(again.out)
    const likes = rest.filter((r) => r['type'] === 'like')
    expect(likes.length).toBe(header?.['likes'])
    expect(likes.length).toBeGreaterThan(0)
    expect(Object.keys(likes[0] ?? {})).toEqual(['type', 'userId', 'videoId', 'atMs'])
  })

  it('refuses a wrong action, a missing --out or an unknown scenario: one line, exit 2', async () => {
    for (const [argv, message] of [
      [['world', 'import', 'baseline'], /^likestorm world: unknown action "import"; e\.g\. likestorm world export baseline --out world\.ndjson \[LS_BAD_USAGE\]\n$/],
      [['world', 'export', 'baseline'], /--out FILE is required .*\[LS_BAD_FLAG\]\n$/],
      [['world', 'export', 'baselin', '--out', join(dir, 'x.ndjson')], /unknown scenario "baselin".*\[LS_UNKNOWN_SCENARIO\]\n$/],
    ] as const) {
      const io = captureIo()
      expect(await main(argv, io)).toBe(EXIT.USAGE)
      expect(io.text().err).toMatch(message)
      expect(io.text().err.trim().split('\n')).toHaveLength(1)
    }
  })
})
