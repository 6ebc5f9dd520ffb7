// The front door of a region listener's API routes: an onRequest hook that takes an in-flight
// slot from the region's ConcurrencyLimit (released when the response closes, however it ends),
// queues for one when all are taken, and sheds with 503 + Retry-After when the queue is full or
// the wait runs past its bound. While the server drains, new requests are turned away.
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
  return function admit(_request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    if (isDraining()) {
      onShed('shutting-down')
      reply.header('connection', 'close')
      done(new HttpError('LS_HTTP_SHUTTING_DOWN'))
      return
    }
    if (limit.tryAcquire()) {
      // 'close' fires once per response however it ends (sent, errored, client gone).
      reply.raw.on('close', limit.release)
      done()
      return
    }
    queueForSlot(reply, done)
  }

  function queueForSlot(reply: FastifyReply, done: HookHandlerDoneFunction): void {
    const waiter = limit.enqueue(() => {
      clearTimeout(timer)
      reply.raw.off('close', onClientGone)
      reply.raw.on('close', limit.release)
      done()
    })
    if (waiter === undefined) {
      shed(done, 'in-flight bound and queue are full')
      return
    }
    const onClientGone = (): void => {
      clearTimeout(timer)
      limit.cancel(waiter)
    }
    const timer = setTimeout(() => {
      reply.raw.off('close', onClientGone)
      limit.cancel(waiter)
      shed(done, `no slot within ${queueWaitMsMax} ms`)
    }, queueWaitMsMax)
    timer.unref()
    reply.raw.once('close', onClientGone)
  }

  function shed(done: HookHandlerDoneFunction, detail: string): void {
    onShed('concurrency')
    done(new HttpError('LS_HTTP_OVERLOADED', detail, { retryAfterS: SHED_RETRY_AFTER_S }))
  }
}
