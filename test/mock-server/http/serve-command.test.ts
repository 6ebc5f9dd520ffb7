// likestorm serve: flags (one-line usage errors, exit 2), the world it builds (as a sim run builds
// it), and a whole run: the region table, a request, a stop that drains and exits 0.
import { request } from 'undici'
import { describe, expect, it } from 'vitest'
import { parseServeSettings, serveCommand, worldFactory } from '../../../cli/commands/serve.ts'
import { EXIT } from '../../../cli/exit-codes.ts'
import { scenarioByName } from '../../../scenarios/library/index.ts'
import { prepareRun } from '../../../scenarios/run/run-setup.ts'
import { captureIo } from '../../helpers/io.ts'

describe('flags', () => {
  it.each([
    [['--host', '0.0.0.0'], /--host 0\.0\.0\.0 is not a loopback address.*--allow-remote/],
    [['--port', '70000'], /--port must be a whole number from 0 to 65535/],
    [['--port', '65534'], /--port 65534 leaves no room for 4 regions/],
    [['--regions', 'us-east,mars'], /unknown region mars in the baseline world; its regions: us-east, us-west, eu-west, ap-southeast/],
    [['--regions', 'us-east,,eu-west'], /--regions must be a comma-separated list/],
    [['--admin-token', 'short'], /--admin-token must be 16 to 256 visible ASCII characters/],
    [['--scenario', 'atlantis'], /unknown scenario "atlantis"; known: baseline/],
    [['--scenario', 'basline'], /unknown scenario "basline" \(did you mean baseline\?\)/],
    [['--scenario', './nowhere.scenario.ts'], /nowhere\.scenario\.ts.*\[LS_BAD_SCENARIO\]/],
    [['--strategy', 'broken-flip'], /--strategy must be one of robust, naive/],
    [['--log-level', 'loud'], /--log-level must be one of fatal, error, warn, info, debug, trace, silent/],
    [['--scale', '0'], /--scale must be a number in \(0, 1000\]/],
    [['now'], /takes no arguments/],
    [['--frobnicate'], /unknown option '--frobnicate'/],
  ])('%j', async (argv, message) => {
    const io = captureIo()
    // A small world, so that the cases that get as far as building it stay fast.
    const code = await serveCommand(argv.includes('--scale') ? argv : [...argv, '--scale', '0.05'], io)
    expect(code).toBe(EXIT.USAGE)
    const { out, err } = io.text()
    expect(out).toBe('')
    expect(err.trim().split('\n')).toHaveLength(1)
    expect(err).toMatch(message)
  })

  it('binds to loopback by default; another host needs --allow-remote and is warned about', () => {
    expect(parseServeSettings([])).toMatchObject({ host: '127.0.0.1', port: 8080, strategy: 'robust', seed: 7, scenario: 'baseline', scale: 1, logLevel: 'warn', remoteWarning: undefined })
    const remote = parseServeSettings(['--host', '0.0.0.0', '--allow-remote'])
    expect(remote.remoteWarning).toMatch(/warning: listening on 0\.0\.0\.0/)
    expect(parseServeSettings(['--host', '::1']).remoteWarning).toBeUndefined()
  })
})

describe('the world', () => {
  it('is the world a sim run of the same scenario, seed and scale builds, restricted to --regions', () => {
    const built = worldFactory({ seed: 11, scenario: 'baseline', scale: 0.05, strategy: 'naive', regions: ['eu-west', 'us-east'] })
    if (!built.ok) throw new Error(built.message)
    const population = prepareRun({ scenario: scenarioByName('baseline') as NonNullable<ReturnType<typeof scenarioByName>>, seed: 11, scale: 0.05 }).population
    expect(built.info).toEqual({ scenario: 'baseline', seed: 11, scale: 0.05, strategy: 'naive', users: population.userCount, videos: population.videoCount })
    expect(built.core.regionIds).toEqual(['us-east', 'eu-west'])
    expect(built.core.directory.userIdSlice(0, Infinity)).toEqual([...population.userIds])
    expect(built.core.strategy.name).toBe('naive')
  })

  it('refuses what it cannot build, as a value', () => {
    expect(worldFactory({ seed: 1, scenario: 'baseline', scale: 0.05, strategy: 'broken-flip', regions: [] })).toMatchObject({ ok: false, message: expect.stringMatching(/unknown strategy/) })
    expect(worldFactory({ seed: 1, scenario: 'nope', scale: 1, strategy: 'robust', regions: [] })).toMatchObject({ ok: false })
  })
})

describe('a run', () => {
  it('prints the region table and the token, serves, and stops with exit code 0', async () => {
    const io = captureIo()
    const stop = new AbortController()
    const running = serveCommand(['--port', '0', '--scale', '0.05', '--regions', 'us-east,eu-west', '--log-level', 'silent'], io, { stop: stop.signal })
    for (let i = 0; i < 400 && !io.text().out.includes('Ctrl-C'); i++) await new Promise((resolve) => setTimeout(resolve, 10))
    const { out } = io.text()
    expect(out).toMatch(/strategy robust · world baseline seed 7 scale 0\.05/)
    const urls = [...out.matchAll(/^ {2}(us-east|eu-west) +(http:\/\/127\.0\.0\.1:\d+)$/gm)].map((m) => [m[1], m[2]])
    expect(urls.map(([region]) => region)).toEqual(['us-east', 'eu-west'])
    const token = /admin token: (\S+) {2}\(generated/.exec(out)?.[1]
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/)
    const curl = /try: curl -s -X POST (\S+) .*'(\{.*\})'$/m.exec(out)
    const liked = await request(curl?.[1] as string, { method: 'POST', headers: { 'content-type': 'application/json' }, body: curl?.[2] as string })
    expect(liked.statusCode).toBe(200)
    expect(await liked.body.json()).toMatchObject({ liked: true })
    const state = await request(`${urls[1]?.[1] as string}/admin/v1/state`, { headers: { authorization: `Bearer ${token as string}` } })
    expect(state.statusCode).toBe(200)
    await state.body.dump()
    stop.abort()
    expect(await running).toBe(EXIT.OK)
    expect(io.text().err).toMatch(/draining in-flight requests[\s\S]*stopped/)
  })

  it('a port in use is a one-line usage error', async () => {
    const { createServer } = await import('node:net')
    const squatter = createServer()
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve))
    const port = (squatter.address() as { port: number }).port
    try {
      const io = captureIo()
      expect(await serveCommand(['--port', String(port), '--scale', '0.05', '--regions', 'us-east', '--log-level', 'silent'], io)).toBe(EXIT.USAGE)
      expect(io.text().err).toMatch(/^likestorm: cannot listen on 127\.0\.0\.1:\d+: .*EADDRINUSE.* \[LS_BAD_FLAG\]\n$/)
    } finally {
      await new Promise((resolve) => squatter.close(resolve))
    }
  })
})
