// `likestorm run --system` and `serve --system`: a module that cannot run is one line and exit 2
// before anything runs; a run computes on the sim thread with the module loaded there, records
// it, and its replay command reproduces result.json byte for byte; serve serves the module.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'undici'
import { describe, expect, it } from 'vitest'
import { serveCommand } from '../../cli/commands/serve.ts'
import { EXIT } from '../../cli/exit-codes.ts'
import { main } from '../../cli/main.ts'
import type { RunResult } from '../../result/result.ts'
import { captureIo } from '../helpers/io.ts'
import { shellWords } from '../helpers/shell-words.ts'

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo()
  const code = await main(argv, io)
  return { code, ...io.text() }
}

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'likestorm-cli-system-'))

describe('a --system that cannot run is one line, exit 2, before anything runs', () => {
  it.each([
    [['run', 'baseline', '--system', 'test/fixtures/systems/version-2.mjs'], /^likestorm: --system test\/fixtures\/systems\/version-2\.mjs: implements system interface version 2; this LikeStorm speaks version 1 \(docs\/systems\.md#versioning\) \[LS_BAD_SYSTEM\]$/],
    [['run', 'baseline', '--system', 'examples/systems/nowhere.ts'], /^likestorm: --system examples\/systems\/nowhere\.ts: cannot be read \(ENOENT\) \[LS_BAD_SYSTEM\]$/],
    [['run', 'baseline', '--mode', 'http', '--system', 'test/fixtures/systems/version-2.mjs'], /implements system interface version 2.*\[LS_BAD_SYSTEM\]$/],
    [['run', 'baseline', '--system', 'examples/systems/set-counter.ts', '--strategy', 'naive'], /--system and --strategy are exclusive: --strategy names a built-in system \(robust, naive\), --system loads your own module \[LS_BAD_FLAG\]$/],
    [['run', 'baseline', '--mode', 'http', '--target', 'http://127.0.0.1:9', '--system', 'examples/systems/set-counter.ts'], /--system runs your module on the embedded server; --target is a service of its own: pass one or the other \[LS_BAD_FLAG\]$/],
    [['serve', '--system', 'test/fixtures/systems/version-2.mjs', '--scale', '0.05'], /implements system interface version 2.*\[LS_BAD_SYSTEM\]$/],
    [['serve', '--system', 'examples/systems/set-counter.ts', '--strategy', 'robust'], /--system and --strategy are exclusive.*\[LS_BAD_FLAG\]$/],
  ])('%j', async (argv, message) => {
    const out = join(tempDir(), 'out')
    const { code, err } = await cli(...argv, ...(argv[0] === 'run' ? ['--out', out] : []))
    expect(code).toBe(EXIT.USAGE)
    expect(err.trim().split('\n')).toHaveLength(1)
    expect(err.trim()).toMatch(message)
  })
})

describe('run --system', () => {
  it('runs the module on the sim thread, records it, and the replay command reproduces result.json byte for byte', async () => {
    const dir = tempDir()
    const first = await cli('run', 'like-flap', '--system', 'examples/systems/set-counter.ts', '--seed', '5', '--scale', '0.05', '--quiet', '--no-reports', '--out', join(dir, 'first'))
    expect(first.err).toBe('')
    expect(first.code).toBe(EXIT.OK)
    expect(first.out).toMatch(/strategy set-counter/)
    expect(first.out).toMatch(/✓ system-faults/)
    const path = join(dir, 'first', 'like-flap', 'result.json')
    const result = JSON.parse(readFileSync(path, 'utf8')) as RunResult
    expect(result.system).toMatchObject({ name: 'set-counter', path: 'examples/systems/set-counter.ts' })
    expect(result.replay).toBe('npx likestorm run like-flap --seed 5 --system ./examples/systems/set-counter.ts --scale 0.05')
    const [, , ...argv] = shellWords(result.replay)
    const replay = await cli(...argv, '--quiet', '--no-reports', '--out', join(dir, 'replay'))
    expect(replay.code).toBe(EXIT.OK)
    expect(readFileSync(join(dir, 'replay', 'like-flap', 'result.json'), 'utf8')).toBe(readFileSync(path, 'utf8'))
  })

  it("exits 1 when the module misbehaves, and names the system's failure", async () => {
    const { code, out } = await cli('run', 'baseline', '--system', 'test/fixtures/systems/throws-sometimes.ts', '--scale', '0.05', '--quiet', '--no-reports', '--out', join(tempDir(), 'out'))
    expect(code).toBe(EXIT.CHECK_FAILED)
    expect(out).toMatch(/✗ system-faults +\d+ calls into the system threw or answered malformed/)
  })
})

describe('serve --system', () => {
  it('serves the module: a like, then a read of it, through HTTP; a reset keeps the module', async () => {
    const io = captureIo()
    const stop = new AbortController()
    const running = serveCommand(['--system', 'examples/systems/set-counter.ts', '--port', '0', '--scale', '0.05', '--regions', 'us-east,eu-west', '--log-level', 'silent'], io, { stop: stop.signal })
    try {
      for (let i = 0; i < 400 && !io.text().out.includes('Ctrl-C'); i++) await new Promise((resolve) => setTimeout(resolve, 10))
      const { out } = io.text()
      expect(out).toMatch(/strategy set-counter · world baseline seed 7 scale 0\.05/)
      const token = /admin token: (\S+) {2}\(generated/.exec(out)?.[1] as string
      const curl = /try: curl -s -X POST (\S+) .*'(\{.*\})'$/m.exec(out)
      const likeUrl = curl?.[1] as string
      const liked = await request(likeUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: curl?.[2] as string })
      expect([liked.statusCode, await liked.body.json()]).toEqual([200, expect.objectContaining({ liked: true, likeCount: 1 })])
      const read = await request(likeUrl.replace(/\/likes$/, ''))
      expect([read.statusCode, await read.body.json()]).toEqual([200, expect.objectContaining({ likeCount: 1, stale: false })])
      const reset = await request(new URL('/admin/v1/reset', likeUrl), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ seed: 8 }) })
      expect([reset.statusCode, await reset.body.json()]).toEqual([200, { world: expect.objectContaining({ strategy: 'set-counter', seed: 8 }) }])
    } finally {
      stop.abort()
    }
    expect(await running).toBe(EXIT.OK)
  })
})
