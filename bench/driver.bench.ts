// npm run bench:driver — the HTTP driver's maximum request rate against autocannon's, in one run.
// A child process serves a bare fastify route (bench/bare-fastify.ts); this process drives it in
// alternating rounds (autocannon, driver, autocannon, driver, …, so that drift in a shared
// machine's speed falls on both alike) with the same connection count, pipelining 1, the same
// request (POST with a small JSON body, a distinct Idempotency-Key each) and the same duration.
//
// "The driver" is what mode http does per request once an operation is due: the request shape,
// the history's invoke record, the send over the driver's undici pool (HttpClient: onConnect
// timing for service time, the timeout sweeper, the JSON answer parsed) and the history's ok
// record with both latencies. The VUs run closed-loop (each sends its next request when the last
// is answered), as autocannon's connections do. The world's own cost is bench:sim's business.
// Progress goes to stderr; last line: {"bench":"driver","driverRps":…,"autocannonRps":…,"ratio":…}
import { FailureKind } from '../sim/failure-kind.ts'
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { History } from '../sim/history.ts'
import { OpKind } from '../sim/operation.ts'
import { HttpClient } from '../scenarios/run/http/http-client.ts'
import { requestShape } from '../scenarios/protocol/request-shape.ts'
import { BARE_PATH_PREFIX, startBareFastify } from './bare-fastify.ts'

const CONNECTIONS = Number(process.env.LIKESTORM_BENCH_CONNECTIONS ?? 50)
const WARMUP_S = 2
const ROUNDS = 5
const ROUND_S = Number(process.env.LIKESTORM_BENCH_ROUND_S ?? 3)
const TIMEOUT_MS = 10_000
const USERS = 4000
const VIDEOS = 1000
const CHILD_FLAG = '--serve-for-bench'

// ---- the child: the bare route ---------------------------------------------------------------

async function serveBare(): Promise<void> {
  const { app, url } = await startBareFastify({ level: 'warn', stream: process.stderr })
  process.send?.(url)
  process.on('message', async (message) => {
    if (message !== 'stop') return
    await app.close()
    process.disconnect()
  })
}

function startChild(): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(fileURLToPath(import.meta.url), [CHILD_FLAG], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  return new Promise((resolve, reject) => {
    child.once('message', (url) => resolve({ child, url: url as string }))
    child.once('exit', (code) => reject(new Error(`bench server exited early with code ${code}`)))
  })
}

// ---- the same requests for both ----------------------------------------------------------------

const userId = (n: number): string => `u${(n * 7919) % USERS}`
const videoId = (n: number): string => `v${(n * 104_729) % VIDEOS}`

function autocannonRequest(): autocannon.Request {
  let n = 0
  return {
    method: 'POST',
    setupRequest: (request) => {
      n++
      return {
        ...request,
        path: `${BARE_PATH_PREFIX}${videoId(n)}/likes`,
        headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${n}` },
        body: JSON.stringify({ userId: userId(n) }),
      }
    },
  }
}

interface RoundResult {
  readonly ok2xx: number
  readonly other: number
  readonly durationS: number
}

async function autocannonRound(url: string, durationS: number): Promise<RoundResult> {
  const result = await autocannon({ url, connections: CONNECTIONS, pipelining: 1, duration: durationS, requests: [autocannonRequest()] })
  return { ok2xx: result['2xx'], other: result.non2xx + result.errors, durationS: result.duration }
}

/** The driver's per-request path, closed-loop on CONNECTIONS VUs, for durationS. */
async function driverRound(url: string, durationS: number): Promise<RoundResult> {
  const client = new HttpClient({ urls: { bench: url }, connections: CONNECTIONS, timeoutMs: TIMEOUT_MS })
  const history = new History()
  const started = performance.now()
  const endAt = started + durationS * 1000
  let n = 0
  let ok2xx = 0
  let other = 0
  const vu = async (vuIndex: number): Promise<void> => {
    while (performance.now() < endAt) {
      n++
      const user = (n * 7919) % USERS
      const video = (n * 104_729) % VIDEOS
      const shape = requestShape(OpKind.Like, { userId: `u${user}`, videoId: `v${video}`, watchMs: 0, key: `bench-${n}` })
      const invokeMs = performance.now() - started
      const index = history.invoke({ kind: OpKind.Like, opId: n, user, video, process: vuIndex, region: 0, attempt: 1, invokeMs, failover: false })
      const answer = await client.send({
        region: 'bench',
        method: shape.method,
        // The bare route lives on the like route's path: the shape is the driver's own.
        path: shape.path,
        body: shape.body,
        headers: { 'content-type': 'application/json', 'idempotency-key': shape.idempotencyKey ?? '' },
      })
      const serviceMs = answer.doneAt - answer.sentAt
      if (answer.status >= 200 && answer.status < 300 && answer.body !== undefined) {
        ok2xx++
        history.ok(index, answer.doneAt - started, serviceMs)
      } else {
        other++
        history.fail(index, answer.doneAt - started, serviceMs, FailureKind.Other, `HTTP_${answer.status}`)
      }
    }
  }
  await Promise.all(Array.from({ length: CONNECTIONS }, (_, i) => vu(i)))
  const durationMs = performance.now() - started
  await client.close()
  // Every request the driver sent must be in its history, or the bookkeeping was skipped.
  if (history.length !== ok2xx + other) throw new Error(`driver bench: ${history.length} history records for ${ok2xx + other} requests`)
  return { ok2xx, other, durationS: durationMs / 1000 }
}

interface Tally {
  ok2xx: number
  other: number
  durationS: number
}

function add(name: string, tally: Tally, result: RoundResult): void {
  tally.ok2xx += result.ok2xx
  tally.other += result.other
  tally.durationS += result.durationS
  process.stderr.write(`  ${name}: ${Math.round(result.ok2xx / result.durationS).toLocaleString('en-US')} req/s\n`)
}

function rate(name: string, tally: Tally): number {
  const rps = tally.ok2xx / tally.durationS
  process.stderr.write(`${name}: ${Math.round(rps).toLocaleString('en-US')} req/s 2xx over ${tally.durationS.toFixed(1)} s · other ${tally.other}\n`)
  if (tally.other > 0) process.stderr.write(`warning: ${name} had ${tally.other} non-2xx answers or errors\n`)
  return rps
}

async function main(): Promise<void> {
  process.stderr.write(`bench:driver · ${CONNECTIONS} connections · pipelining 1 · ${WARMUP_S} s warm-up each, then ${ROUNDS} alternating rounds of ${ROUND_S} s each\n`)
  const { child, url } = await startChild()
  try {
    process.stderr.write(`bare route: ${url}${BARE_PATH_PREFIX}:videoId/likes\n`)
    await autocannonRound(url, WARMUP_S)
    await driverRound(url, WARMUP_S)
    const cannon: Tally = { ok2xx: 0, other: 0, durationS: 0 }
    const driver: Tally = { ok2xx: 0, other: 0, durationS: 0 }
    for (let i = 0; i < ROUNDS; i++) {
      add('autocannon', cannon, await autocannonRound(url, ROUND_S))
      add('driver', driver, await driverRound(url, ROUND_S))
    }
    const autocannonRps = rate('autocannon', cannon)
    const driverRps = rate('driver', driver)
    const ratio = Math.round((driverRps / autocannonRps) * 1000) / 1000
    console.log(JSON.stringify({ bench: 'driver', driverRps: Math.round(driverRps), autocannonRps: Math.round(autocannonRps), ratio, connections: CONNECTIONS }))
  } finally {
    child.send('stop')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    await new Promise((resolve) => child.once('exit', resolve))
    clearTimeout(timer)
  }
}

if (process.argv.includes(CHILD_FLAG)) await serveBare()
else await main()
