// What a --target offers, settled before a run: its capabilities document (or --target-profile)
// says it and may name the regions' URLs; without one, a few reads show whether answers carry
// asOfMs and whether liked lists are served, the rest is the minimum, and a first URL whose
// following ports do not answer is one region. Every refusal is one line with a code.
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { UsageError } from '../../../../scenarios/errors.ts'
import { resolveTarget, type ResolveTargetOptions } from '../../../../scenarios/run/http/target-capabilities.ts'
import { distinctRegionCount, formatTarget } from '../../../../scenarios/run/http/target.ts'
import { startLikeService } from '../../../fixtures/services/like-service.ts'

const REGIONS = ['us-east', 'us-west', 'eu-west', 'ap-southeast']
const PROBE_IDS = { userId: 'u_1', videoId: 'v_1' }
const dir = mkdtempSync(join(tmpdir(), 'likestorm-profile-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const resolve = (options: Partial<ResolveTargetOptions> & { text: string }) => resolveTarget({ regions: REGIONS, allowRemote: false, probeIds: PROBE_IDS, ...options })

async function refusal(promise: Promise<unknown>): Promise<UsageError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof UsageError) return error
    throw error
  }
  throw new Error('not refused')
}

/** A server that answers `document` at the well-known path (when there is one) and a 404 elsewhere. */
async function documentServer(document: unknown, port = 0): Promise<Server> {
  const server = createServer((request, response) => {
    const found = request.url === '/.well-known/likestorm.json' && document !== undefined
    response.writeHead(found ? 200 : 404, { 'content-type': 'application/json' })
    response.end(found ? JSON.stringify(document) : '{"code":"NOT_FOUND","message":"no"}')
  })
  await new Promise<void>((done, fail) => server.once('error', fail).listen(port, '127.0.0.1', () => done()))
  return server
}

const portOf = (server: Server): number => (server.address() as { port: number }).port
const close = (server: Server): Promise<void> => new Promise((done) => server.close(() => done()))

/** Four consecutive free ports, the first held by a 404-everywhere server and each listed one held too. */
async function consecutive(held: readonly number[]): Promise<Server[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000)
    const servers: Server[] = []
    try {
      for (let i = 0; i < 4; i++) servers.push(await documentServer(undefined, base + i))
    } catch {
      await Promise.all(servers.map(close))
      continue
    }
    for (let i = 3; i >= 0; i--) if (!held.includes(i)) await close(servers.splice(i, 1)[0] as Server)
    return servers
  }
  throw new Error('no four consecutive free ports')
}

describe('a target with a capabilities document', () => {
  it('is taken at its word, its regions\' URLs with it when --target names the first URL', async () => {
    const urls: Record<string, string> = {}
    const servers: Server[] = []
    for (const region of REGIONS) {
      const server = await documentServer({ version: 1, regions: urls, likedLists: true, staleness: 'asOf' })
      servers.push(server)
      urls[region] = `http://127.0.0.1:${portOf(server)}`
    }
    try {
      const { target, capabilities } = await resolve({ text: urls['us-east'] as string })
      expect(target.urls).toEqual(urls)
      expect(capabilities).toEqual({ source: 'document', likedLists: true, notifications: false, notificationsMax: 100, world: 'none', staleness: 'asOf', admin: 'none', notes: [] })
      expect(formatTarget(target.urls, REGIONS)).toBe(REGIONS.map((region) => `${region}=${urls[region]}`).join(','))
    } finally {
      await Promise.all(servers.map(close))
    }
  })

  it('with one region, sends every region of the scenario to it: one front door', async () => {
    const server = await documentServer({ version: 1, service: 'one', regions: { main: 'http://127.0.0.1:1' } })
    const doc = { version: 1, regions: { main: `http://127.0.0.1:${portOf(server)}` } }
    server.removeAllListeners('request').on('request', (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc)))
    try {
      const { target } = await resolve({ text: `http://127.0.0.1:${portOf(server)}` })
      expect(distinctRegionCount(target.urls)).toBe(1)
      expect(Object.keys(target.urls)).toEqual(REGIONS)
    } finally {
      await close(server)
    }
  })

  it('is refused when wrong, when it names some of the scenario\'s regions only, or points off this machine', async () => {
    for (const [document, code, message] of [
      [{ version: 1, likedLists: 'yes' }, 'LS_BAD_TARGET_PROFILE', /likestorm\.json is not a valid capabilities document \(docs\/targets\.md\): likedLists: must be boolean$/],
      [{ version: 1, regions: { 'us-east': 'http://127.0.0.1:1', 'us-west': 'http://127.0.0.1:2' } }, 'LS_BAD_TARGET_PROFILE', /names no listening URL for eu-west, ap-southeast of this scenario's regions/],
      [{ version: 1, regions: { main: 'http://192.0.2.1:8080' } }, 'LS_REMOTE_TARGET', /is not on this machine/],
    ] as const) {
      const server = await documentServer(document)
      try {
        const error = await refusal(resolve({ text: `http://127.0.0.1:${portOf(server)}` }))
        expect(error.code).toBe(code)
        expect(error.message).toMatch(message)
      } finally {
        await close(server)
      }
    }
  })

  it('--target-profile is used instead of the target\'s own; a bad file is refused', async () => {
    const path = join(dir, 'profile.json')
    writeFileSync(path, JSON.stringify({ version: 1, notifications: true, world: 'loaded', admin: 'likestorm' }))
    const server = await documentServer({ version: 1 })
    try {
      const { capabilities } = await resolve({ text: `us-east=http://127.0.0.1:${portOf(server)},us-west=http://127.0.0.1:2,eu-west=http://127.0.0.1:3,ap-southeast=http://127.0.0.1:4`, profilePath: path })
      expect(capabilities).toMatchObject({ source: 'profile', notifications: true, world: 'loaded', admin: 'likestorm', likedLists: false })
      writeFileSync(path, '{"version": 1,')
      expect((await refusal(resolve({ text: `http://127.0.0.1:${portOf(server)}`, profilePath: path }))).message).toMatch(/^--target-profile .*profile\.json is not JSON/)
      expect((await refusal(resolve({ text: `http://127.0.0.1:${portOf(server)}`, profilePath: join(dir, 'missing.json') }))).message).toMatch(/cannot be read \(ENOENT\)$/)
    } finally {
      await close(server)
    }
  })
})

describe('a target without one', () => {
  it('is probed: a service that answers with asOfMs and serves liked lists is read so; notifications are not assumed', async () => {
    const service = await startLikeService({ regions: REGIONS })
    try {
      const { capabilities } = await resolve({ text: service.target })
      expect(capabilities).toMatchObject({ source: 'probed', likedLists: true, staleness: 'asOf', notifications: false, world: 'none', admin: 'none' })
      expect(capabilities.notes.join('\n')).toMatch(/^no capabilities document at http:\/\/127\.0\.0\.1:\d+\/\.well-known\/likestorm\.json \(answered 404\): probed what a few reads show, assumed the minimum for the rest$/m)
    } finally {
      await service.close()
    }
  })

  it('whose first URL answers and whose following ports do not is one region; some answering and some not is refused', async () => {
    const one = await consecutive([0])
    try {
      const { target, capabilities } = await resolve({ text: `http://127.0.0.1:${portOf(one[0] as Server)}` })
      expect(distinctRegionCount(target.urls)).toBe(1)
      expect(capabilities).toMatchObject({ source: 'probed', likedLists: false, staleness: 'none' })
      expect(capabilities.notes.join('\n')).toContain('nothing answers on the ports after')
    } finally {
      await Promise.all(one.map(close))
    }
    const some = await consecutive([0, 2])
    try {
      const error = await refusal(resolve({ text: `http://127.0.0.1:${portOf(some[0] as Server)}` }))
      expect(error.code).toBe('LS_BAD_FLAG')
      expect(error.message).toMatch(/us-west \(http:\/\/127\.0\.0\.1:\d+\), ap-southeast \(http:\/\/127\.0\.0\.1:\d+\) did not answer while the others did; name each region's URL/)
    } finally {
      await Promise.all(some.map(close))
    }
  })
})
