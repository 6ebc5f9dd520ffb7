// Answers written on a connection's socket itself rather than through a response object: the
// parser's errors (malformed, too slow, headers too large) and CONNECT. Such an answer waits for
// its turn. While an earlier request of the connection (pipelined) still has its response under
// way, an answer written now would be read as that request's; so reading stops, the responses
// under way go out (each within its own bounds, else the connection is reset after
// `pendingMsMax`), then this answer, then the connection closes.
import { STATUS_CODES, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { ERRORS, errorBody, type ErrorCode } from './errors.ts'

/** A whole HTTP/1.1 error response: `{ code, message }` and Connection: close. */
export function rawErrorResponse(code: ErrorCode, detail?: string): string {
  const status = ERRORS[code].status
  const body = JSON.stringify(errorBody(code, detail))
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
}

/** Write `answer` in its turn, then close; never later than `pendingMsMax` from now. */
export function answerThenClose(socket: Duplex, answer: string, { pendingMsMax }: { pendingMsMax: number }): void {
  if (answerInTurn(socket as ResponseSocket, answer)) return
  socket.pause()
  const timer = setTimeout(() => socket.destroy(), pendingMsMax)
  timer.unref()
  socket.once('close', () => clearTimeout(timer))
}

/** Node's own link from a connection to the response it is writing (http.Server internals, stable since 0.x). */
type ResponseSocket = Duplex & { _httpMessage?: ServerResponse | null }

/**
 * Write and close now when no earlier response is under way (true), else once it is out (false).
 * The response under way may be the faulty request's own (its body is what failed or came too
 * slowly): that one never completes, and this answer is its answer.
 */
function answerInTurn(socket: ResponseSocket, answer: string, finished?: ServerResponse): boolean {
  if (socket.destroyed) return true
  const current = socket._httpMessage === finished ? null : socket._httpMessage
  if (current === undefined || current === null || (!current.headersSent && current.req?.complete === false)) {
    if (socket.writable) socket.write(answer)
    socket.destroy()
    return true
  }
  // Node hands the socket to the next queued response before the current one emits 'close'.
  const next = (): void => void answerInTurn(socket, answer, current)
  if (current.destroyed) next()
  else current.once('close', next)
  return false
}
