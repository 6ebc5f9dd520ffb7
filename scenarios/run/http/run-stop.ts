// Why and when an http run stops before its end, and the waits that stopping cuts short. The first
// reason wins: a signal (its name from the AbortSignal's reason, e.g. abort('SIGTERM')), the wall
// bound (--time-limit or the default), an abortOnFail threshold, a target that serves
// another world, or an embedded server whose thread failed. Every wait of the run is a stoppable
// sleep, so a stop wakes them all at once.
import type { StoppedBy } from '../../../result/result.ts'

/** What result.json records (StoppedBy), or an error of the run, which is not judged: a target that serves another world, an embedded server whose thread failed. */
export type StopReason = StoppedBy | { readonly kind: 'world-mismatch'; readonly detail: string } | { readonly kind: 'embedded-server-failed'; readonly detail: string }

export class RunStop {
  private why: StopReason | undefined
  private readonly waiters = new Set<() => void>()

  get stopped(): boolean {
    return this.why !== undefined
  }

  get reason(): StopReason | undefined {
    return this.why
  }

  stop(reason: StopReason): void {
    if (this.why !== undefined) return
    this.why = reason
    // Each wake clears its timer and leaves the set.
    for (const wake of this.waiters) wake()
  }

  /** Sleep on the wall clock, or until the run stops; `cancel` ends it early, its timer cleared. */
  sleep(wallMs: number): { readonly done: Promise<void>; readonly cancel: () => void } {
    let cancel = (): void => {}
    const done = new Promise<void>((resolve) => {
      if (this.stopped) return resolve()
      const wake = (): void => {
        clearTimeout(timer)
        this.waiters.delete(wake)
        resolve()
      }
      const timer = setTimeout(wake, wallMs)
      this.waiters.add(wake)
      cancel = wake
    })
    return { done, cancel }
  }

  until(wallMs: number): Promise<void> {
    return this.sleep(wallMs).done
  }

  /** Stop when the signal fires (now, if it already has); returns the listener's removal. */
  follow(signal: AbortSignal | undefined): () => void {
    if (signal === undefined) return () => {}
    const onAbort = (): void => this.stop({ kind: 'signal', detail: signalName(signal.reason) })
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
    return () => signal.removeEventListener('abort', onAbort)
  }
}

/** The signal's name when the caller gave it as the abort reason (abort('SIGTERM')), else a plain description. */
export function signalName(reason: unknown): string {
  if (typeof reason === 'string' && reason !== '') return reason
  if (reason instanceof Error && reason.name !== 'AbortError' && reason.message !== '') return reason.message
  return 'an abort signal'
}
