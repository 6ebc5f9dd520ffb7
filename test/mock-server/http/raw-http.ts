// HTTP/1.1 over a bare socket, for what inject() and undici cannot send: pipelined requests,
// malformed bytes, partial requests, abrupt closes. A request is built byte for byte; responses are
// read incrementally from the stream (interim 1xx skipped, bodies framed by Content-Length,
// chunked, or the connection's end; none for HEAD).
import { connect, type Socket } from 'node:net'

export interface RawResponse {
  readonly status: number
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

export interface RawRequest {
  readonly method: string
  readonly target: string
  /** In order, duplicates allowed; Host is not added for you. */
  readonly headers: ReadonlyArray<readonly [string, string]>
  readonly body?: Buffer | string
  /** Send the body chunked (valid framing); otherwise Content-Length is added when there is a body. */
  readonly chunked?: boolean
  readonly version?: string
}

/** The bytes of a request. */
export function requestBytes({ method, target, headers, body, chunked = false, version = 'HTTP/1.1' }: RawRequest): Buffer {
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8')
  const lines = [`${method} ${target} ${version}`, ...headers.map(([name, value]) => `${name}: ${value}`)]
  if (payload !== undefined && chunked) lines.push('Transfer-Encoding: chunked')
  else if (payload !== undefined) lines.push(`Content-Length: ${payload.length}`)
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1')
  if (payload === undefined) return head
  return Buffer.concat([head, chunked ? chunkedBody(payload) : payload])
}

function chunkedBody(payload: Buffer): Buffer {
  const parts: Buffer[] = []
  for (let offset = 0; offset < payload.length; offset += 4096) {
    const chunk = payload.subarray(offset, offset + 4096)
    parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`, 'latin1'), chunk, Buffer.from('\r\n', 'latin1'))
  }
  parts.push(Buffer.from('0\r\n\r\n', 'latin1'))
  return Buffer.concat(parts)
}

const HEAD_END = Buffer.from('\r\n\r\n', 'latin1')

/** Reads the responses of one connection, in order; `methods[i]` is the method of the i-th request. */
export class ResponseReader {
  readonly responses: RawResponse[] = []
  /** Set when the bytes received are not HTTP/1.1 responses. */
  problem: string | undefined
  /** A response said Connection: close; anything after it is ignored. */
  closed = false
  private buffer: Buffer = Buffer.alloc(0)
  private readonly methods: readonly string[]

  constructor(methods: readonly string[]) {
    this.methods = methods
  }

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk])
    if (this.closed) return
    while (this.problem === undefined && this.readOne(false)) {
      // keep reading
    }
  }

  /** The connection ended: a response framed by the end gets what arrived. */
  end(): void {
    if (this.problem === undefined && !this.closed && this.buffer.length > 0) this.readOne(true)
  }

  /** True when a whole response was taken off the buffer. */
  private readOne(atEnd: boolean): boolean {
    const headEnd = this.buffer.indexOf(HEAD_END)
    if (headEnd < 0) {
      if (atEnd) this.problem = `a partial response head at the end: ${JSON.stringify(this.buffer.subarray(0, 80).toString('latin1'))}`
      return false
    }
    const [statusLine = '', ...headerLines] = this.buffer.subarray(0, headEnd).toString('latin1').split('\r\n')
    const match = /^HTTP\/1\.[01] (\d{3}) /.exec(`${statusLine} `)
    if (match === null) {
      this.problem = `not a status line: ${JSON.stringify(statusLine.slice(0, 80))}`
      return false
    }
    const status = Number(match[1])
    const headers: Record<string, string> = {}
    for (const line of headerLines) {
      const colon = line.indexOf(':')
      const name = line.slice(0, colon).trim().toLowerCase()
      const value = line.slice(colon + 1).trim()
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`
    }
    const bodyStart = headEnd + HEAD_END.length
    if (status < 200) {
      this.buffer = this.buffer.subarray(bodyStart)
      return true
    }
    const method = this.methods[this.responses.length] ?? 'GET'
    const framed = this.bodyOf({ headers, bodyStart, noBody: method === 'HEAD' || status === 204 || status === 304, atEnd })
    if (framed === undefined) return false
    this.responses.push({ status, headers, body: framed.body })
    this.buffer = this.buffer.subarray(framed.end)
    // Nothing is to follow a response that closes the connection (a parser-level answer to a HEAD
    // request carries a body all the same: it is left unread).
    if (/\bclose\b/i.test(headers['connection'] ?? '')) {
      this.closed = true
      return false
    }
    return true
  }

  private bodyOf({ headers, bodyStart, noBody, atEnd }: { headers: Record<string, string>; bodyStart: number; noBody: boolean; atEnd: boolean }): { body: string; end: number } | undefined {
    if (noBody) return { body: '', end: bodyStart }
    if (/chunked/i.test(headers['transfer-encoding'] ?? '')) return this.chunked(bodyStart)
    const length = headers['content-length']
    if (length !== undefined) {
      const end = bodyStart + Number(length)
      return this.buffer.length >= end ? { body: this.buffer.subarray(bodyStart, end).toString('utf8'), end } : undefined
    }
    return atEnd ? { body: this.buffer.subarray(bodyStart).toString('utf8'), end: this.buffer.length } : undefined
  }

  private chunked(start: number): { body: string; end: number } | undefined {
    const parts: Buffer[] = []
    let offset = start
    for (;;) {
      const lineEnd = this.buffer.indexOf('\r\n', offset, 'latin1')
      if (lineEnd < 0) return undefined
      const size = Number.parseInt(this.buffer.subarray(offset, lineEnd).toString('latin1'), 16)
      if (size === 0) {
        // The last chunk: optional trailer lines, then an empty line.
        const trailerEnd = this.buffer.indexOf(HEAD_END, lineEnd)
        return trailerEnd < 0 ? undefined : { body: Buffer.concat(parts).toString('utf8'), end: trailerEnd + HEAD_END.length }
      }
      if (!(size > 0)) {
        this.problem = 'a bad chunk size'
        return undefined
      }
      if (this.buffer.length < lineEnd + 2 + size + 2) return undefined
      parts.push(this.buffer.subarray(lineEnd + 2, lineEnd + 2 + size))
      offset = lineEnd + 2 + size + 2
    }
  }
}

/** Open a connection to a loopback port; resolves once connected. */
export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.off('error', reject)
      resolve(socket)
    })
    socket.once('error', reject)
  })
}

/** Write bytes on a fresh connection and collect everything until the server closes it (or `waitMsMax`). */
export async function exchange(port: number, bytes: Buffer | string, { waitMsMax = 5000 }: { waitMsMax?: number } = {}): Promise<{ text: string; closedByServer: boolean; elapsedMs: number }> {
  const socket = await openSocket(port)
  const startedAt = performance.now()
  return new Promise((resolve) => {
    let text = ''
    let closedByServer = true
    const timer = setTimeout(() => {
      closedByServer = false
      socket.destroy()
    }, waitMsMax)
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')))
    socket.on('error', () => {})
    socket.on('close', () => {
      clearTimeout(timer)
      resolve({ text, closedByServer, elapsedMs: performance.now() - startedAt })
    })
    socket.write(bytes)
  })
}
