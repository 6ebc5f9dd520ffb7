// The front door of a region listener's API routes: a preHandler hook (so it runs once the body has
// been read and validated: a client that sends its headers and then stalls its body holds no slot,
// only its connection, and Node's request timeout ends that) that takes an in-flight slot from the
// region's ConcurrencyLimit (released when the response closes, however it ends), queues for one
// when all are taken, and sheds with 503 + Retry-After when the queue is full or the wait runs past
// its bound. While the server drains, new requests are turned away.
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
    let stopWatching = (): void => {}
    const waiter = limit.enqueue(() => {
      clearTimeout(timer)
      stopWatching()
      whenGone(request, reply, limit.release)
      done()
    })
    if (waiter === undefined) {
      shed(done, 'in-flight bound and queue are full')
      return
    }
    const timer = setTimeout(() => {
      stopWatching()
      limit.cancel(waiter)
      shed(done, `no slot within ${queueWaitMsMax} ms`)
    }, queueWaitMsMax)
    timer.unref()
    stopWatching = whenGone(request, reply, () => {
      clearTimeout(timer)
      limit.cancel(waiter)
    })
  }

  function shed(done: HookHandlerDoneFunction, detail: string): void {
    onShed('concurrency')
    done(new HttpError('LS_HTTP_OVERLOADED', detail, { retryAfterS: SHED_RETRY_AFTER_S }))
  }
}

/**
 * Calls `onGone` once, when the response closes (sent, failed, or its client gone) or when its
 * connection closes first. The second matters for a pipelined request whose response is still
 * queued behind an earlier one: when the client goes, Node never closes such a response, and a slot
 * held until then would be held for ever. Returns a function that stops watching.
 */
export function whenGone(request: FastifyRequest, reply: FastifyReply, onGone: () => void): () => void {
  const response = reply.raw
  // inject() has a stand-in socket (an EventEmitter); a real one may already be closed.
  const socket = request.raw.socket as Socket | null
  let watching = true
  let unwatchSocket = (): void => {}
  const stop = (): void => {
    watching = false
    response.off('close', gone)
    unwatchSocket()
  }
  const gone = (): void => {
    if (!watching) return
    stop()
    onGone()
  }
  if (socket?.destroyed === true) {
    // Its 'close' may have been emitted already: nothing would call us later.
    queueMicrotask(gone)
    return stop
  }
  response.once('close', gone)
  if (socket !== null) unwatchSocket = onSocketClose(socket, gone)
  return stop
}

/** Per connection, what to call when it closes: one listener each, however deep the pipeline. */
const socketWatchers = new WeakMap<Socket, Set<() => void>>()

function onSocketClose(socket: Socket, callback: () => void): () => void {
  let watchers = socketWatchers.get(socket)
  if (watchers === undefined) {
    const created = new Set<() => void>()
    socketWatchers.set(socket, created)
    socket.once('close', () => {
      socketWatchers.delete(socket)
      for (const watcher of [...created]) watcher()
    })
    watchers = created
  }
  watchers.add(callback)
  const owned = watchers
  return () => void owned.delete(callback)
}
