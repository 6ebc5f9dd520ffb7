// The client's deadline header: every request says how long its client will still wait for it
// (x-likestorm-deadline-ms), counted when it leaves, so a request that waited for a connection
// says less; one whose timeout runs out while it waits never leaves at all.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEADLINE_HEADER, HttpClient } from '../../../../scenarios/run/http/http-client.ts'

const seen: Array<{ path: string; deadlineMs: number }> = []
let server: Server
let url = ''

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response) => {
    seen.push({ path: request.url ?? '', deadlineMs: Number(request.headers[DEADLINE_HEADER]) })
    const holdMs = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('holdMs') ?? 0)
    setTimeout(() => {
      response.setHeader('content-type', 'application/json')
      response.end('{"ok":true}')
    }, holdMs)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
})

const get = (client: HttpClient, path: string) => client.send({ region: 'local', method: 'GET', path, body: undefined, headers: {} })

describe('x-likestorm-deadline-ms', () => {
  it('carries the whole timeout on a request that leaves at once, and less on one that waited for a connection', async () => {
    seen.length = 0
    const client = new HttpClient({ urls: { local: url }, connections: 1, timeoutMs: 5000 })
    // One connection: the second request waits for the first, held 400 ms by the server.
    const [first, second] = await Promise.all([get(client, '/a?holdMs=400'), get(client, '/b')])
    await client.close()
    expect(first.status).toBe(200)
    expect(second.status).toBe(200)
    const byPath = new Map(seen.map((s) => [s.path.split('?')[0], s.deadlineMs]))
    expect(byPath.get('/a')).toBeGreaterThan(4900)
    expect(byPath.get('/a')).toBeLessThanOrEqual(5000)
    // It left when the first answer came, about 400 ms later: that much less of its timeout is left.
    expect(byPath.get('/b')).toBeLessThanOrEqual(5000 - 390)
    expect(byPath.get('/b')).toBeGreaterThan(0)
  })

  it('times out a request still waiting for a connection without ever sending it', async () => {
    seen.length = 0
    const client = new HttpClient({ urls: { local: url }, connections: 1, timeoutMs: 300 })
    const [first, second] = await Promise.all([get(client, '/held?holdMs=800'), get(client, '/never')])
    await client.close()
    expect(first.failure).toBe('timeout')
    expect(second.failure).toBe('timeout')
    // Never written to a socket: no send time, and the server never saw it.
    expect(Number.isNaN(second.sentAt)).toBe(true)
    expect(seen.map((s) => s.path)).toEqual(['/held?holdMs=800'])
  })
})
