// The one rule that turns a command's runs into an exit code, and the stop signals' handling:
// first signal stops cleanly, second quits at once, each with its documented code.
import { describe, expect, it } from 'vitest'
import { EXIT, exitForRuns, type JudgedRun, type StopSignal } from '../../cli/exit-codes.ts'
import { withStopSignals, type SignalHost } from '../../cli/stop-signals.ts'
import { captureIo } from '../helpers/io.ts'

const pass: JudgedRun = { verdict: 'pass' }
const fail: JudgedRun = { verdict: 'fail' }
const inconclusive: JudgedRun = { verdict: 'inconclusive' }
const bounded = (kind: 'time-limit' | 'operation-cap', verdict: JudgedRun['verdict'] = 'inconclusive'): JudgedRun => ({ verdict, stoppedBy: { kind, detail: 'a bound' } })

describe('exit codes, in their precedence', () => {
  it('0 when every run passed, 3 when one was inconclusive', () => {
    expect(exitForRuns([pass, pass])).toBe(EXIT.OK)
    expect(exitForRuns([pass, inconclusive])).toBe(EXIT.INCONCLUSIVE)
    expect(exitForRuns([{ verdict: 'pass', stoppedBy: { kind: 'incomplete-output', detail: 'k6 outputs cut' } }])).toBe(EXIT.INCONCLUSIVE)
  })

  it('4 when a run reached its own bound, even if what ran passed or could not be judged', () => {
    expect(exitForRuns([pass, bounded('time-limit')])).toBe(EXIT.BOUND_REACHED)
    expect(exitForRuns([bounded('operation-cap', 'pass')])).toBe(EXIT.BOUND_REACHED)
    expect(exitForRuns([inconclusive, bounded('time-limit')])).toBe(EXIT.BOUND_REACHED)
  })

  it('1 over a bound and over inconclusive: a broken invariant is a broken invariant', () => {
    expect(exitForRuns([bounded('time-limit', 'fail')])).toBe(EXIT.CHECK_FAILED)
    expect(exitForRuns([fail, bounded('operation-cap'), inconclusive])).toBe(EXIT.CHECK_FAILED)
    // A run an abortOnFail threshold stopped failed.
    expect(exitForRuns([{ verdict: 'inconclusive', stoppedBy: { kind: 'abort-on-fail', detail: 'http_req_failed' } }])).toBe(EXIT.CHECK_FAILED)
  })

  it('128 + n over everything when the command was stopped by a signal', () => {
    expect(exitForRuns([fail, bounded('time-limit')], 'SIGTERM')).toBe(143)
    expect(exitForRuns([], 'SIGINT')).toBe(130)
    expect(exitForRuns([pass], 'SIGHUP')).toBe(129)
    // A run stopped by a signal on another thread speaks for it.
    expect(exitForRuns([fail, { verdict: 'pass', stoppedBy: { kind: 'signal', detail: 'SIGTERM' } }])).toBe(EXIT.TERMINATED)
  })
})

/** A process stand-in: signals are delivered by `send`, exit throws (as process.exit never returns). */
function fakeHost(): SignalHost & { send(name: StopSignal): void; listeners(): number } {
  const listeners = new Map<string, Array<() => void>>()
  return {
    on: (name, listener) => listeners.set(name, [...(listeners.get(name) ?? []), listener]),
    off: (name, listener) => listeners.set(name, (listeners.get(name) ?? []).filter((l) => l !== listener)),
    exit: (code) => {
      throw new Error(`exit ${code}`)
    },
    send: (name) => {
      for (const listener of listeners.get(name) ?? []) listener()
    },
    listeners: () => [...listeners.values()].reduce((sum, list) => sum + list.length, 0),
  }
}

describe('stop signals', () => {
  it('abort on the first signal with its name as the reason, and say so once', async () => {
    const host = fakeHost()
    const io = captureIo()
    const seen = await withStopSignals({ err: io.err, onStop: 'writing a partial result', host }, async (stop) => {
      expect(host.listeners()).toBe(3)
      expect(stop.received).toBeUndefined()
      host.send('SIGTERM')
      return { aborted: stop.signal.aborted, reason: stop.signal.reason, received: stop.received }
    })
    expect(seen).toEqual({ aborted: true, reason: 'SIGTERM', received: 'SIGTERM' })
    expect(io.text().err).toBe('\nlikestorm: SIGTERM: stopping, writing a partial result (SIGTERM again quits at once)\n')
    // Node's default handling is back once the command is over.
    expect(host.listeners()).toBe(0)
  })

  it('quit at once on a second signal, with the code of the first', async () => {
    const host = fakeHost()
    const io = captureIo()
    await withStopSignals({ err: io.err, onStop: 'x', host }, async () => {
      host.send('SIGHUP')
      expect(() => host.send('SIGINT')).toThrow('exit 129')
    })
    expect(io.text().err).toContain('likestorm: SIGINT: quitting at once')
  })

  it('quit at the first signal when there is nothing partial to write', async () => {
    const host = fakeHost()
    const io = captureIo()
    await withStopSignals({ err: io.err, onStop: '', firstSignal: 'quit', host }, async () => {
      expect(() => host.send('SIGTERM')).toThrow('exit 143')
    })
  })
})
