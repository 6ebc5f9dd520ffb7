// One HTTP request from k6, and what came back: the answer as the points record it (send time,
// status, k6 error code, error body code), the answer classified where it arrived, the parsed
// body and the server's Retry-After.
import http from 'k6/http'
import type { Classified } from '../../protocol/answer-kind.ts'
import { DEADLINE_HEADER, honouredRetryAfterS } from '../../protocol/client-protocol.ts'
import { classifyK6Answer } from '../network-error.ts'
import { errorCodeOf, type Answer, type Tags } from '../points.ts'
import { splitPoint } from '../points.ts'
import { runNowMs, withMetadata } from './runtime.ts'

export interface CallResult {
  readonly answer: Answer
  /** The answer's kind (None for a 2xx; the caller may still find its body unusable). */
  readonly classified: Classified
  readonly body: unknown
  /** Retry-After of a shed request, ms. */
  readonly retryAfterMs: number | undefined
  /** Wall ms from send to answer (or to the error). */
  readonly elapsedMs: number
}

export interface CallRequest {
  readonly method: 'GET' | 'POST' | 'DELETE'
  readonly url: string
  readonly body: string | null
  readonly headers: Readonly<Record<string, string>>
  /** The request's fields: k6 tags on its http_req_* samples, or metadata for the ids (points.ts, splitPoint). */
  readonly tags: Tags
  readonly timeoutMs: number
}

export function httpCall(request: CallRequest): CallResult {
  const { tags, metadata } = splitPoint(request.tags)
  const sentMs = runNowMs()
  const response = withMetadata(metadata, () =>
    http.request(request.method, request.url, request.body, {
      // The whole timeout is left when k6 sends it: a VU waits for its own request, nothing queues it.
      headers: { ...request.headers, [DEADLINE_HEADER]: String(Math.floor(request.timeoutMs)) },
      tags,
      timeout: request.timeoutMs,
      responseType: 'text',
    }),
  )
  const elapsedMs = Math.max(runNowMs() - sentMs, response.timings.duration)
  let body: unknown
  const text = response.body
  if (response.status > 0 && typeof text === 'string' && text !== '') {
    try {
      body = JSON.parse(text)
    } catch (_error) {
      body = undefined
    }
  }
  const retryAfter = response.headers['Retry-After'] ?? response.headers['retry-after']
  const retryAfterS = retryAfter === undefined ? Number.NaN : Number(retryAfter)
  const answer: Answer = {
    sentMs,
    status: response.status,
    k6err: response.status === 0 ? response.error_code : 0,
    code: response.status >= 400 ? errorCodeOf(body) : '',
  }
  return {
    answer,
    classified: classifyK6Answer(answer),
    body,
    retryAfterMs: isFinite(retryAfterS) && retryAfterS >= 0 ? honouredRetryAfterS(retryAfterS) * 1000 : undefined,
    elapsedMs,
  }
}

