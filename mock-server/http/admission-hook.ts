// The front door of a region listener's API routes: a preHandler hook (so it runs once the body has
// been read and validated: a client that sends its headers and then stalls its body holds no slot,
// only its connection, and Node's request timeout ends that) that takes an in-flight slot from the
// region's ConcurrencyLimit (released when the response closes, however it ends), queues for one
// when all are taken, and sheds with 503 + Retry-After when the queue is full or the wait runs past
// its bound. While the server drains, new requests are turned away.
import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import type { ConcurrencyLimit } from './concurrency-limit.ts'
import { HttpError } from './errors.ts'
import type { ShedReason } from './metrics.ts'

export interface AdmissionOptions {
  readonly limit: ConcurrencyLimit
  /** A queued request that has not got a slot after this long is shed. */
  readonly queueWaitMsMax: number
  readonly isDraining: () => boolean
  readonly onShed: (reason: ShedReason) => void
}

const SHED_RETRY_AFTER_S = 1

export function admissionHook({ limit, queueWaitMsMax, isDraining, onShed }: AdmissionOptions) {
  return function admit(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    if (isDraining()) {
      onShed('shutting-down')
      reply.header('connection', 'close')
      done(new HttpError('LS_HTTP_SHUTTING_DOWN'))
      return
    }
    if (limit.tryAcquire()) {
      whenGone(request, reply, limit.release)
      done()
      return
    }
    queueForSlot(request, reply, done)
  }

  function queueForSlot(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    const waiter = limit.enqueue(() => {
      clearTimeout(timer)
      unwatch(clientGone)
      whenGone(request, reply, limit.release)
      done()
    })
    if (waiter === undefined) {
      shed(done, 'in-flight bound and queue are full')
      return
    }
    const timer = setTimeout(() => {
      unwatch(clientGone)
      limit.cancel(waiter)
      shed(done, `no slot within ${queueWaitMsMax} ms`)
    }, queueWaitMsMax)
    timer.unref()
    const clientGone = whenGone(request, reply, () => {
      clearTimeout(timer)
      limit.cancel(waiter)
    })
  }

  function shed(done: HookHandlerDoneFunction, detail: string): void {
    onShed('concurrency')
    done(new HttpError('LS_HTTP_OVERLOADED', detail, { retryAfterS: SHED_RETRY_AFTER_S }))
  }
}

// Each connection keeps the set of its watches that wait on it (no listener per request on the
// socket, however deep the pipeline).
const SOCKET_WATCHES = Symbol('likestorm.whenGone.socket')

export interface Watch {
  readonly response: ServerResponse
  readonly onGone: () => void
  /** The connection's set, when this watch waits on the connection too. */
  watches: Set<Watch> | undefined
  live: boolean
}

type WatchedSocket = Socket & { [SOCKET_WATCHES]?: Set<Watch> }

/**
 * Calls `onGone` once, when the response closes (sent, failed, or its client gone) or, for a
 * response queued behind an earlier one of a pipelined connection, when that connection closes
 * first: Node closes the response that holds the connection when it goes, never the ones queued
 * behind it, and a slot held until then would be held for ever. `unwatch` stops watching.
 */
export function whenGone(request: FastifyRequest, reply: FastifyReply, onGone: () => void): Watch {
  const response = reply.raw
  const watch: Watch = { response, onGone, watches: undefined, live: true }
  if (response.destroyed) {
    // Its 'close' has been emitted already.
    queueMicrotask(() => end(watch))
    return watch
  }
  // 'close' is emitted once per response: `on` is enough, and cheaper than `once`.
  response.on('close', onGone)
  // inject() has a stand-in socket (an EventEmitter); a queued response has none of its own yet.
  const socket = request.raw.socket as WatchedSocket | null
  if (response.socket === null && socket !== null) {
    let watches = socket[SOCKET_WATCHES]
    if (watches === undefined) {
      watches = new Set()
      socket[SOCKET_WATCHES] = watches
      socket.once('close', onSocketClose)
    }
    watches.add(watch)
    watch.watches = watches
    response.once('close', () => unwatch(watch))
  }
  return watch
}

export function unwatch(watch: Watch): void {
  if (!watch.live) return
  watch.live = false
  watch.response.off('close', watch.onGone)
  watch.watches?.delete(watch)
}

function end(watch: Watch): void {
  if (!watch.live) return
  unwatch(watch)
  watch.onGone()
}

function onSocketClose(this: WatchedSocket): void {
  const watches = this[SOCKET_WATCHES]
  if (watches !== undefined) for (const watch of [...watches]) end(watch)
}
