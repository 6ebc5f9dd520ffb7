// npm run bench:proxy — what `--faults proxy` costs when no fault is active: the same loopback load
// straight to a bare fastify server and through the fault proxy (scenarios/run/http/fault-proxy.ts)
// in front of it, in the same run. Three processes: the bare fastify server (bench/bare-fastify.ts),
// the proxy, and this one driving autocannon, so that the proxy's own event loop is measured as the
// driver's would carry it. Two measures, each in alternating rounds (direct, proxied, …) so that
// drift in a shared machine's speed falls on both alike:
//   latency    at a fixed moderate rate (open model, well below saturation): p50 and p99 added
//   throughput closed loop at saturation: proxied req/s over direct req/s
// Progress goes to stderr; last line:
//   {"bench":"proxy","directRps":…,"proxiedRps":…,"ratio":…,"addedP50Ms":…,"addedP99Ms":…}
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { FaultProxy } from '../scenarios/run/http/fault-proxy.ts'
import { Rng } from '../sim/rng.ts'
import { BARE_PATH_PREFIX, startBareFastify } from './bare-fastify.ts'

const CONNECTIONS = 50
const LATENCY_CONNECTIONS = 10
const LATENCY_RATE_RPS = 1000
const WARMUP_S = 2
const ROUNDS = 3
const ROUND_S = Number(process.env.LIKESTORM_BENCH_ROUND_S ?? 3)
const SERVE_BARE = '--serve-bare'
const SERVE_PROXY = '--serve-proxy'

// ---- the children: the bare server, the proxy ----------------------------------------------

async function serveBare(): Promise<void> {
  const { app, url } = await startBareFastify({ level: 'warn', stream: process.stderr })
  process.send?.(url)
  process.on('message', async () => {
    await app.close()
    process.disconnect()
  })
}

async function serveProxy(upstream: string): Promise<void> {
  const proxy = await FaultProxy.start({ upstreams: { 'us-east': upstream }, random: new Rng(7).stream('fault-proxy'), connectionsMax: CONNECTIONS * 2, upstreamTimeoutMs: 10_000 })
  process.send?.(proxy.urls['us-east'])
  process.on('message', async () => {
    await proxy.close()
    process.disconnect()
  })
}

function startChild(args: readonly string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(fileURLToPath(import.meta.url), [...args], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  return new Promise((resolve, reject) => {
    child.once('message', (url) => resolve({ child, url: url as string }))
    child.once('exit', (code) => reject(new Error(`bench child ${args.join(' ')} exited early with code ${code}`)))
  })
}

async function stopChild(child: ChildProcess): Promise<void> {
  child.send('stop')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await new Promise((resolve) => child.once('exit', resolve))
  clearTimeout(timer)
}

// ---- the parent: autocannon ----------------------------------------------------------------

function likeRequest(): autocannon.Request {
  let n = 0
  return {
    method: 'POST',
    setupRequest: (request) => {
      n++
      return { ...request, path: `${BARE_PATH_PREFIX}v${n % 1000}/likes`, headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${n}` }, body: JSON.stringify({ userId: `u${n % 4000}` }) }
    },
  }
}

interface Tally {
  ok2xx: number
  durationS: number
  bad: number
  p50Ms: number[]
  p99Ms: number[]
}

const tally = (): Tally => ({ ok2xx: 0, durationS: 0, bad: 0, p50Ms: [], p99Ms: [] })

async function round(name: string, url: string, into: Tally, { rateRps, connections }: { rateRps?: number; connections: number }): Promise<void> {
  const result = await autocannon({ url, connections, pipelining: 1, duration: ROUND_S, requests: [likeRequest()], ...(rateRps === undefined ? {} : { overallRate: rateRps }) })
  into.ok2xx += result['2xx']
  into.durationS += result.duration
  into.bad += result.non2xx + result.errors + result.timeouts
  into.p50Ms.push(result.latency.p50)
  into.p99Ms.push(result.latency.p99)
  process.stderr.write(`  ${name}: ${Math.round(result['2xx'] / result.duration).toLocaleString('en-US')} req/s (p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms)\n`)
}

/** The median of the rounds' values: one slow round on a shared machine does not decide. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

async function alternate(label: string, urls: { direct: string; proxied: string }, load: { rateRps?: number; connections: number }): Promise<{ direct: Tally; proxied: Tally }> {
  process.stderr.write(`${label}\n`)
  const direct = tally()
  const proxied = tally()
  for (let i = 0; i < ROUNDS; i++) {
    await round('direct ', urls.direct, direct, load)
    await round('proxied', urls.proxied, proxied, load)
  }
  for (const [name, t] of [['direct', direct], ['proxied', proxied]] as const) if (t.bad > 0) process.stderr.write(`warning: ${name} had ${t.bad} non-2xx answers, errors or timeouts\n`)
  return { direct, proxied }
}

async function main(): Promise<void> {
  process.stderr.write(`bench:proxy · pipelining 1 · ${WARMUP_S} s warm-up each, then ${ROUNDS} alternating rounds of ${ROUND_S} s per measure\n`)
  const bare = await startChild([SERVE_BARE])
  const proxy = await startChild([SERVE_PROXY, bare.url]).catch(async (error: unknown) => {
    await stopChild(bare.child)
    throw error
  })
  try {
    const urls = { direct: bare.url, proxied: proxy.url }
    process.stderr.write(`direct: ${urls.direct} · proxied: ${urls.proxied} -> ${urls.direct}\n`)
    for (const url of [urls.direct, urls.proxied]) await autocannon({ url, connections: CONNECTIONS, duration: WARMUP_S, requests: [likeRequest()] })
    const latency = await alternate(`latency at ${LATENCY_RATE_RPS} req/s over ${LATENCY_CONNECTIONS} connections`, urls, { rateRps: LATENCY_RATE_RPS, connections: LATENCY_CONNECTIONS })
    const throughput = await alternate(`throughput, closed loop over ${CONNECTIONS} connections`, urls, { connections: CONNECTIONS })
    const directRps = throughput.direct.ok2xx / throughput.direct.durationS
    const proxiedRps = throughput.proxied.ok2xx / throughput.proxied.durationS
    const addedP50Ms = median(latency.proxied.p50Ms) - median(latency.direct.p50Ms)
    const addedP99Ms = median(latency.proxied.p99Ms) - median(latency.direct.p99Ms)
    const ratio = Math.round((proxiedRps / directRps) * 1000) / 1000
    process.stderr.write(`added latency at ${LATENCY_RATE_RPS} req/s: p50 +${addedP50Ms} ms, p99 +${addedP99Ms} ms (medians of ${ROUNDS} rounds)\n`)
    process.stderr.write(`throughput: ${Math.round(proxiedRps).toLocaleString('en-US')} req/s proxied vs ${Math.round(directRps).toLocaleString('en-US')} direct: ratio ${ratio}\n`)
    console.log(JSON.stringify({ bench: 'proxy', directRps: Math.round(directRps), proxiedRps: Math.round(proxiedRps), ratio, addedP50Ms, addedP99Ms }))
  } finally {
    await stopChild(proxy.child)
    await stopChild(bare.child)
  }
}

const at = process.argv.indexOf(SERVE_PROXY)
if (process.argv.includes(SERVE_BARE)) await serveBare()
else if (at >= 0) await serveProxy(process.argv[at + 1] as string)
else await main()
