// script.js run outside k6: in a fresh V8 context with nothing but the language's built-ins, the
// k6 globals (__ENV, open, console) and stand-ins for the k6 modules it imports (k6, k6/http,
// k6/execution, k6/data, k6/metrics). A Node API in the bundle would throw here; every sample the
// script adds to a metric is kept, to be written as k6's JSON output. Virtual time: sleep() moves
// the clock, and each request takes a few ms.
import { transformSync } from 'esbuild'
import { createContext, runInContext } from 'node:vm'

export interface Sample {
  readonly metric: string
  readonly atMs: number
  readonly value: number
  readonly tags: Readonly<Record<string, string>>
  /** The VU's metadata when the sample was written (exec.vu.metrics.metadata). */
  readonly metadata: Readonly<Record<string, string>>
}

export interface FakeResponse {
  readonly status: number
  readonly body?: unknown
  readonly errorCode?: number
  readonly headers?: Readonly<Record<string, string>>
}

export interface SentRequest {
  readonly method: string
  readonly url: string
  readonly body: string | null
  readonly headers: Readonly<Record<string, string>>
  readonly tags: Readonly<Record<string, string>>
  readonly metadata: Readonly<Record<string, string>>
  readonly atMs: number
}

export interface SandboxOptions {
  readonly script: string
  readonly files: Readonly<Record<string, string>>
  readonly env: Readonly<Record<string, string>>
  /** Wall ms when the test starts. */
  readonly epochMs: number
  readonly respond: (request: SentRequest) => FakeResponse
  readonly requestMs?: number
}

export interface Sandbox {
  readonly exports: Record<string, unknown>
  readonly samples: Sample[]
  readonly requests: SentRequest[]
  readonly checks: Array<{ readonly name: string; readonly passed: boolean }>
  /** Custom metrics the script created (in its init context). */
  readonly metrics: string[]
  /** Run one iteration of an exported function as k6 would, in a scenario. */
  iterate(fn: string, scenario: { name: string; startOffsetMs: number; iterationInTest: number; vu?: number }): void
  nowMs(): number
}

export class Aborted extends Error {}

export function loadScript(options: SandboxOptions): Sandbox {
  let now = options.epochMs
  const requestMs = options.requestMs ?? 3
  const samples: Sample[] = []
  const requests: SentRequest[] = []
  const checks: Array<{ name: string; passed: boolean }> = []
  const metrics: string[] = []
  const metadata: Record<string, string> = {}
  const execution = {
    scenario: { name: '', executor: '', startTime: options.epochMs, progress: 0, iterationInInstance: 0, iterationInTest: 0 },
    vu: { idInTest: 1, idInInstance: 1, iterationInInstance: 0, iterationInScenario: 0, tags: {}, metrics: { tags: {}, metadata } },
    instance: {
      iterationsInterrupted: 0,
      iterationsCompleted: 0,
      vusActive: 1,
      vusInitialized: 1,
      // k6's own clock: ms since the test started, whatever the scenario.
      get currentTestRunDuration(): number {
        return now - options.epochMs
      },
    },
    test: {
      options: { executionSegment: '0:1' },
      abort: (message?: string): never => {
        throw new Aborted(message ?? 'aborted')
      },
      fail: (): void => undefined,
    },
  }
  class Metric {
    constructor(
      readonly name: string,
      readonly isTime = false,
    ) {
      metrics.push(name)
    }

    add(value: number, tags: Record<string, string> = {}): void {
      samples.push({ metric: this.name, atMs: now - options.epochMs, value, tags: { ...tags }, metadata: { ...metadata } })
    }
  }
  const http = {
    request(method: string, url: string, body: string | null, params: { headers?: Record<string, string>; tags?: Record<string, string> } = {}) {
      const request: SentRequest = { method, url, body, headers: { ...(params.headers ?? {}) }, tags: { ...(params.tags ?? {}) }, metadata: { ...metadata }, atMs: now - options.epochMs }
      requests.push(request)
      const answer = options.respond(request)
      now += requestMs
      return {
        status: answer.status,
        body: answer.body === undefined ? '' : JSON.stringify(answer.body),
        error_code: answer.status === 0 ? (answer.errorCode ?? 1000) : answer.status >= 400 ? 1000 + answer.status : 0,
        error: '',
        headers: { ...(answer.headers ?? {}) },
        timings: { duration: requestMs, blocked: 0, connecting: 0, sending: 0, waiting: requestMs, receiving: 0, tls_handshaking: 0 },
      }
    },
  }
  const modules: Record<string, unknown> = {
    k6: {
      sleep: (seconds: number): void => {
        now += seconds * 1000
      },
      check: (value: unknown, sets: Record<string, (v: unknown) => boolean>): boolean => {
        let all = true
        for (const [name, test] of Object.entries(sets)) {
          const passed = test(value)
          checks.push({ name, passed })
          all &&= passed
        }
        return all
      },
    },
    'k6/http': { __esModule: true, default: http, ...http },
    'k6/execution': { __esModule: true, default: execution, ...execution },
    'k6/data': {
      SharedArray: class {
        constructor(_name: string, make: () => unknown[]) {
          return JSON.parse(JSON.stringify(make())) as object
        }
      },
    },
    'k6/metrics': { Trend: class extends Metric {}, Counter: class extends Metric {}, Rate: class extends Metric {}, Gauge: class extends Metric {} },
  }
  const { code } = transformSync(options.script, { format: 'cjs', target: 'es2017', loader: 'js' })
  const module = { exports: {} as Record<string, unknown> }
  const context = createContext({
    module,
    exports: module.exports,
    require: (name: string): unknown => {
      const found = modules[name]
      if (found === undefined) throw new Error(`script.js imports ${name}, which is not a k6 module`)
      return found
    },
    __ENV: { ...options.env },
    open: (path: string): string => {
      const file = options.files[path]
      if (file === undefined) throw new Error(`open(${path}): no such file`)
      return file
    },
    console: { log: () => undefined, warn: () => undefined, error: () => undefined, info: () => undefined },
    Date: { now: () => now },
  })
  runInContext(code, context, { filename: 'script.js' })
  return {
    exports: module.exports,
    samples,
    requests,
    checks,
    metrics,
    nowMs: () => now - options.epochMs,
    iterate(fn, scenario) {
      execution.scenario.name = scenario.name
      execution.scenario.startTime = options.epochMs + scenario.startOffsetMs
      execution.scenario.iterationInTest = scenario.iterationInTest
      execution.vu.idInTest = scenario.vu ?? 1
      now = Math.max(now, execution.scenario.startTime)
      const run = module.exports[fn]
      if (typeof run !== 'function') throw new Error(`script.js exports no function ${fn}`)
      ;(run as () => void)()
    },
  }
}
