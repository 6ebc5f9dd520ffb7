// What HTTP/1.1 refuses but Node lets through, or answers on its own outside the catalogue, checked
// on every request of a region listener before routing:
// - Host (RFC 9112 §3.2): an HTTP/1.1 request needs exactly one, and any Host must be host[:port].
//   Node's own check (a bare 400) is turned off so that this one answers LS_HTTP_BAD_HOST.
// - Expect (RFC 9110 §10.1.1): only 100-continue is supported; anything else is a 417
//   LS_HTTP_EXPECTATION_FAILED (Node's default is a bare 417).
// - Content-Encoding (RFC 9110 §8.4): bodies are not decoded, so a coded body is a 415
//   LS_HTTP_UNSUPPORTED_ENCODING with Accept-Encoding: identity, not JSON read from gzip bytes.
// - CONNECT: Node has no route for it and closes the connection without a word; it gets a 404
//   LS_HTTP_NOT_FOUND like any unknown method.
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import { HttpError, type ErrorCode } from './errors.ts'
import { answerThenClose, rawErrorResponse } from './socket-answer.ts'

/** reg-name or IPv4 (unreserved, sub-delims, pct-encoded) or a bracketed IP literal, then an optional port; empty is allowed (RFC 9112 §3.2). */
const HOST_PATTERN = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]*)(?::[0-9]{0,5})?$/
/** Node's own test for a continue expectation (lib/_http_server.js). */
const CONTINUE_PATTERN = /(?:^|\W)100-continue(?:$|\W)/i
const DETAIL_CHARS_MAX = 64

/** Why the request's Host is refused, or undefined when it is fine. */
export function hostProblem(raw: IncomingMessage): string | undefined {
  const host = raw.headers.host
  // HTTP/1.0 (and 0.9, which has no headers at all) need no Host.
  if (host === undefined) return raw.httpVersion === '1.1' ? 'no Host header' : undefined
  if (!HOST_PATTERN.test(host)) return `Host ${JSON.stringify(host.slice(0, DETAIL_CHARS_MAX))} is not host[:port]`
  // Node keeps the first of several Host lines in `headers`; only the raw list shows the others.
  if (countHeader(raw.rawHeaders, 'host') > 1) return 'more than one Host header'
  return undefined
}

function countHeader(rawHeaders: readonly string[], lowerName: string): number {
  let count = 0
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) count++
  }
  return count
}

/** The onRequest hook of a region app: Host, Expect and Content-Encoding, before anything else. */
export function protocolCheck(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const raw = request.raw
  const hostIssue = hostProblem(raw)
  if (hostIssue !== undefined) return done(new HttpError('LS_HTTP_BAD_HOST', hostIssue))
  const expect = raw.headers.expect
  if (expect !== undefined && !CONTINUE_PATTERN.test(expect)) return done(new HttpError('LS_HTTP_EXPECTATION_FAILED', `got Expect: ${JSON.stringify(expect.slice(0, DETAIL_CHARS_MAX))}`))
  const encoding = raw.headers['content-encoding']
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
    reply.header('accept-encoding', 'identity')
    return done(new HttpError('LS_HTTP_UNSUPPORTED_ENCODING', `got Content-Encoding: ${JSON.stringify(encoding.slice(0, DETAIL_CHARS_MAX))}`))
  }
  done()
}

/**
 * Route to fastify what Node would answer itself: requests with an expectation other than
 * 100-continue (protocolCheck refuses them), and CONNECT (answered on the socket, in its turn
 * after any pipelined request before it, then closed).
 */
export function routeProtocolEvents(server: Server, { onRefused, pendingMsMax }: { onRefused: (code: ErrorCode) => void; pendingMsMax: number }): void {
  server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => server.emit('request', request, response))
  server.on('connect', (request: IncomingMessage, socket: Duplex) => {
    onRefused('LS_HTTP_NOT_FOUND')
    answerThenClose(socket, rawErrorResponse('LS_HTTP_NOT_FOUND', `${request.method ?? 'CONNECT'} ${(request.url ?? '').slice(0, DETAIL_CHARS_MAX)}`), { pendingMsMax })
  })
}
