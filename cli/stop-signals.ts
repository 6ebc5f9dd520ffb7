// How a long-running command stops on SIGINT (Ctrl-C), SIGTERM (CI cancellation, `timeout`) or
// SIGHUP (the terminal went away): the first signal asks it to stop cleanly (it ends what it can
// and writes a partial result marked interrupted, then exits 128 + n); a second one quits at once.
// Node runs these handlers on the event loop, so a command sees a signal only when it yields:
// mode sim computes on a second thread for that reason (see sim-thread.ts).
import { SIGNAL_EXIT, STOP_SIGNALS, type StopSignal } from './exit-codes.ts'

export interface StopSignals {
  /** Aborted by the first signal, with the signal's name as its reason (what the http driver records). */
  readonly signal: AbortSignal
  /** The first signal received, if any. */
  readonly received: StopSignal | undefined
}

/** Where signals come from and how the process ends: the process itself, or a stand-in in tests. */
export interface SignalHost {
  on(name: StopSignal, listener: () => void): unknown
  off(name: StopSignal, listener: () => void): unknown
  exit(code: number): never
}

export interface StopSignalOptions {
  readonly err: NodeJS.WritableStream
  /** What a clean stop does, for the message: e.g. 'writing a partial result'. */
  readonly onStop: string
  /** 'quit': there is nothing partial worth writing, the first signal ends the command at once. */
  readonly firstSignal?: 'stop' | 'quit'
  readonly host?: SignalHost
}

const PROCESS_HOST: SignalHost = {
  on: (name, listener) => process.on(name, listener),
  off: (name, listener) => process.off(name, listener),
  exit: (code) => process.exit(code),
}

/** Run `body` with the stop signals handled as above; they are restored to Node's defaults after it. */
export async function withStopSignals<T>(options: StopSignalOptions, body: (stop: StopSignals) => Promise<T>): Promise<T> {
  const host = options.host ?? PROCESS_HOST
  const controller = new AbortController()
  let received: StopSignal | undefined
  const handlers = STOP_SIGNALS.map((name) => {
    const handler = (): void => {
      if (received !== undefined || options.firstSignal === 'quit') {
        say(options.err, `likestorm: ${name}: quitting at once\n`)
        host.exit(SIGNAL_EXIT[received ?? name])
        return
      }
      received = name
      const again = name === 'SIGINT' ? 'Ctrl-C' : name
      say(options.err, `\nlikestorm: ${name}: stopping, ${options.onStop} (${again} again quits at once)\n`)
      controller.abort(name)
    }
    host.on(name, handler)
    return [name, handler] as const
  })
  try {
    return await body({
      signal: controller.signal,
      get received() {
        return received
      },
    })
  } finally {
    for (const [name, handler] of handlers) host.off(name, handler)
  }
}

/** The terminal may be gone (SIGHUP): a message that cannot be written is not worth a crash. */
function say(err: NodeJS.WritableStream, text: string): void {
  try {
    err.write(text)
  } catch {
    // Nowhere to say it.
  }
}
