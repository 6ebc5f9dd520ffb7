// Every error a client can cause, mapped onto the catalogue (errors.ts) and sent as
// `{ code, message }`: schema failures (by the field that failed), bad JSON, oversize bodies,
// wrong content types, bad URLs, unknown routes, and malformed or too slow HTTP caught by the
// socket parser.
// Anything else is a bug: 500 LS_HTTP_INTERNAL, logged with its stack.
import type { Socket } from 'node:net'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { ERRORS, HttpError, errorBody, type ErrorCode } from './errors.ts'
import { responseMsMax, type HttpLimits } from './http-limits.ts'
import { answerThenClose, rawErrorResponse } from './socket-answer.ts'

export interface ClassifiedError {
  readonly code: ErrorCode
  readonly detail?: string | undefined
  readonly retryAfterS?: number | undefined
}

/** Route config: which code a body that fails its schema gets (default by field, then LS_HTTP_BAD_BODY). */
export interface ErrorRouteConfig {
  readonly bodyErrorCode?: ErrorCode
}

const FIELD_CODES: Readonly<Record<string, ErrorCode>> = {
  videoId: 'LS_HTTP_BAD_VIDEO_ID',
  userId: 'LS_HTTP_BAD_USER_ID',
  watchMs: 'LS_CORE_BAD_WATCH_MS',
  videoIds: 'LS_HTTP_BAD_VIDEO_ID',
}

const HEADER_CODES: Readonly<Record<string, ErrorCode>> = {
  'idempotency-key': 'LS_HTTP_BAD_IDEMPOTENCY_KEY',
  'x-likestorm-region': 'LS_CORE_UNKNOWN_REGION',
}

const FASTIFY_CODES: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'LS_HTTP_BAD_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'LS_HTTP_BAD_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'LS_HTTP_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'LS_HTTP_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'LS_HTTP_BAD_REQUEST',
  FST_ERR_BAD_URL: 'LS_HTTP_BAD_URL',
  FST_ERR_MAX_PARAM_LENGTH: 'LS_HTTP_BAD_URL',
}

const DETAIL_LENGTH_MAX = 200

interface ValidationIssue {
  readonly instancePath?: string
  readonly keyword?: string
  readonly message?: string
  readonly params?: Record<string, unknown>
}

/** The catalogue code for an error raised while handling a request. */
export function classifyError(error: FastifyError | HttpError | Error, routeConfig: ErrorRouteConfig | undefined): ClassifiedError {
  if (error instanceof HttpError) return { code: error.code, detail: error.detail, retryAfterS: error.retryAfterS }
  const fastifyError = error as FastifyError & { validation?: readonly ValidationIssue[]; validationContext?: string }
  if (Array.isArray(fastifyError.validation)) return classifyValidation(fastifyError.validationContext ?? 'body', fastifyError.validation, routeConfig)
  const mapped = typeof fastifyError.code === 'string' ? FASTIFY_CODES[fastifyError.code] : undefined
  if (mapped !== undefined) return { code: mapped }
  const status = fastifyError.statusCode
  // Some other 4xx from fastify or a plugin: still the client's doing, never a 500.
  if (typeof status === 'number' && status >= 400 && status < 500) return { code: 'LS_HTTP_BAD_REQUEST', detail: clip(error.message) }
  return { code: 'LS_HTTP_INTERNAL' }
}

function classifyValidation(context: string, issues: readonly ValidationIssue[], routeConfig: ErrorRouteConfig | undefined): ClassifiedError {
  const issue = issues[0] ?? {}
  const field = fieldOf(issue)
  const detail = clip(`${context}${issue.instancePath ?? ''} ${issue.message ?? 'is not valid'}${extraOf(issue)}`)
  if (context === 'headers') return { code: HEADER_CODES[field] ?? 'LS_HTTP_BAD_REQUEST', detail }
  if (context === 'querystring') return { code: 'LS_HTTP_BAD_QUERY', detail }
  if (context === 'body' && routeConfig?.bodyErrorCode !== undefined) return { code: routeConfig.bodyErrorCode, detail }
  return { code: FIELD_CODES[field] ?? (context === 'params' ? 'LS_HTTP_BAD_URL' : 'LS_HTTP_BAD_BODY'), detail }
}

/** The top-level field an ajv issue is about: from its path, or the missing property. */
function fieldOf(issue: ValidationIssue): string {
  const path = issue.instancePath ?? ''
  if (path.length > 1) return (path.split('/')[1] ?? '').replace(/~1/g, '/').replace(/~0/g, '~')
  const missing = issue.params?.['missingProperty']
  return typeof missing === 'string' ? missing : ''
}

function extraOf(issue: ValidationIssue): string {
  const extra = issue.params?.['additionalProperty']
  return typeof extra === 'string' ? ` (${JSON.stringify(extra.slice(0, 64))})` : ''
}

function clip(text: string): string {
  return text.length > DETAIL_LENGTH_MAX ? `${text.slice(0, DETAIL_LENGTH_MAX)}…` : text
}

/** Send a classified error as `{ code, message }` with its status (and Retry-After when given). */
export function sendError(reply: FastifyReply, { code, detail, retryAfterS }: ClassifiedError): FastifyReply {
  if (retryAfterS !== undefined) reply.header('retry-after', String(retryAfterS))
  return reply.code(ERRORS[code].status).send(errorBody(code, detail))
}

/** fastify's error handler: every error becomes a catalogue error; 5xx are logged. */
export function handleError(error: FastifyError | HttpError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const classified = classifyError(error, request.routeOptions.config as ErrorRouteConfig | undefined)
  if (ERRORS[classified.code].status >= 500 && classified.code !== 'LS_HTTP_SHUTTING_DOWN' && classified.code !== 'LS_HTTP_OVERLOADED') {
    request.log.error({ err: error }, 'request failed')
  }
  return sendError(reply, classified)
}

/** Unknown method or path. */
export function handleNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendError(reply, { code: 'LS_HTTP_NOT_FOUND', detail: clip(`${request.method} ${request.url}`) })
}

/** Errors fastify raises before routing (bad percent-encoding, a path segment over the limit). */
export function handleFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  sendError(reply, classifyError(error, undefined))
}

export interface ClientErrorOptions {
  readonly limits: Pick<HttpLimits, 'headersTimeoutMs' | 'requestTimeoutMs' | 'headerBytesMax' | 'queueWaitMsMax' | 'waitMsMax'>
  /** Told of every request refused here (for /metrics). */
  readonly onRefused: (code: ErrorCode) => void
}

/**
 * Malformed HTTP caught by Node's parser (bad request line, header or body framing, oversize
 * headers) and requests too slow to arrive (Node's header and request timeouts): answer in the
 * catalogue's shape, in turn after any pipelined request before it, then close (socket-answer.ts).
 */
export function clientErrorHandler({ limits, onRefused }: ClientErrorOptions) {
  // Node reports again on every later chunk (the parser stays failed) and on a timeout meanwhile.
  const answering = new WeakSet<Socket>()
  const pendingMsMax = responseMsMax(limits)
  return function handleClientError(error: Error & { code?: string; reason?: string }, socket: Socket): void {
    if (error.code === 'ECONNRESET' || socket.destroyed || answering.has(socket)) return
    answering.add(socket)
    const { code, detail } = classifyClientError(error, limits)
    onRefused(code)
    answerThenClose(socket, rawErrorResponse(code, detail), { pendingMsMax })
  }
}

function classifyClientError(error: Error & { code?: string; reason?: string }, limits: ClientErrorOptions['limits']): ClassifiedError {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { code: 'LS_HTTP_REQUEST_TIMEOUT', detail: `headers are due within ${limits.headersTimeoutMs} ms and the whole request within ${limits.requestTimeoutMs} ms` }
  }
  if (error.code === 'HPE_HEADER_OVERFLOW') return { code: 'LS_HTTP_HEADERS_TOO_LARGE', detail: `request line and headers over ${limits.headerBytesMax} bytes` }
  const reason = typeof error.reason === 'string' ? error.reason : error.message
  return { code: 'LS_HTTP_BAD_REQUEST', detail: clip(`${reason} (${error.code ?? 'parse error'})`) }
}
