// npm run bench:server — what the mock server's like route costs over a bare fastify route on the
// same machine, in the same run. A child process serves both (the robust strategy over the
// baseline world, no faults; and a bare fastify app whose route parses a small JSON body and
// returns a small JSON object, same fastify version); this process drives each in turn with
// autocannon's programmatic API: same connections, pipelining 1, same duration after a warm-up,
// in alternating rounds (bare, like, bare, like, …) so that drift in a shared machine's speed
// falls on both alike.
// The like requests use valid, varying users and videos and a distinct Idempotency-Key each.
// Capacities in the model are raised so that nothing is shed: the bench measures the HTTP path
// (routing, validation, the core, serialization, metrics), not the capacity model.
// Progress goes to stderr; last line: {"bench":"server","likeRps":…,"bareRps":…,"ratio":…}
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { EngagementCore } from '../mock-server/core/engagement-core.ts'
import { ROBUST } from '../mock-server/core/strategy.ts'
import { buildServer } from '../mock-server/http/app.ts'
import { scenarioByName } from '../scenarios/library/index.ts'
import { coreConfigFor, directoryFor, importedLikesFor, prepareRun } from '../scenarios/run/run-setup.ts'
import { BARE_PATH_PREFIX, startBareFastify } from './bare-fastify.ts'

const CONNECTIONS = 50
const WARMUP_S = 2
const ROUNDS = 5
const ROUND_S = Number(process.env.LIKESTORM_BENCH_ROUND_S ?? 2)
const CAPACITY_RPS = 10_000_000
const SAMPLE_USERS = 4000
const SAMPLE_VIDEOS = 1000
const CHILD_FLAG = '--serve-for-bench'

interface Targets {
  readonly likeUrl: string
  readonly bareUrl: string
  readonly userIds: readonly string[]
  readonly videoIds: readonly string[]
}

// ---- the child: both servers ---------------------------------------------------------------

async function serveBoth(): Promise<void> {
  const scenario = scenarioByName('baseline')
  if (scenario === undefined) throw new Error('baseline scenario missing')
  const setup = prepareRun({ scenario, seed: 7, scale: 1 })
  const config = coreConfigFor(setup)
  const regions = config.regions.map((region) => ({ ...region, capacityRps: CAPACITY_RPS, cacheCapacityOpsPerS: CAPACITY_RPS }))
  const core = new EngagementCore({ ...config, regions }, ROBUST)
  core.loadDirectory(directoryFor(setup.population))
  core.importLikes(importedLikesFor(setup.population))
  const logger = { level: 'warn' as const, stream: process.stderr }
  const server = await buildServer({ core, adminToken: 'bench-admin-token-0123456789', logger })
  const [first] = await server.listen({ host: '127.0.0.1', port: 0 })

  const { app: bare, url: bareUrl } = await startBareFastify(logger)

  const targets: Targets = {
    likeUrl: (first as NonNullable<typeof first>).url,
    bareUrl,
    userIds: core.directory.userIdSlice(0, SAMPLE_USERS),
    videoIds: core.directory.videoIdSlice(0, SAMPLE_VIDEOS),
  }
  process.send?.(targets)
  process.on('message', async (message) => {
    if (message !== 'stop') return
    await Promise.all([server.close({ drainMsMax: 1000 }), bare.close()])
    process.disconnect()
  })
}

// ---- the parent: autocannon ----------------------------------------------------------------

function startChild(): Promise<{ child: ChildProcess; targets: Targets }> {
  const child = fork(fileURLToPath(import.meta.url), [CHILD_FLAG], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  return new Promise((resolve, reject) => {
    child.once('message', (targets) => resolve({ child, targets: targets as Targets }))
    child.once('exit', (code) => reject(new Error(`bench server exited early with code ${code}`)))
  })
}

function likeRequest(targets: Targets, pathFor: (videoId: string) => string): autocannon.Request {
  let n = 0
  const users = targets.userIds
  const videos = targets.videoIds
  return {
    method: 'POST',
    setupRequest: (request) => {
      n++
      // Strides coprime with the sample sizes walk through many distinct (user, video) pairs.
      const userId = users[(n * 7919) % users.length] as string
      const videoId = videos[(n * 104_729) % videos.length] as string
      return {
        ...request,
        path: pathFor(videoId),
        headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${n}` },
        body: JSON.stringify({ userId }),
      }
    },
  }
}

async function cannon(url: string, request: autocannon.Request, durationS: number): Promise<autocannon.Result> {
  return autocannon({ url, connections: CONNECTIONS, pipelining: 1, duration: durationS, requests: [request] })
}

interface Tally {
  ok2xx: number
  durationS: number
  non2xx: number
  errors: number
  p99Ms: number
}

async function round(name: string, url: string, request: autocannon.Request, tally: Tally): Promise<void> {
  const result = await cannon(url, request, ROUND_S)
  tally.ok2xx += result['2xx']
  tally.durationS += result.duration
  tally.non2xx += result.non2xx
  tally.errors += result.errors
  tally.p99Ms = Math.max(tally.p99Ms, result.latency.p99)
  process.stderr.write(`  ${name}: ${Math.round(result['2xx'] / result.duration).toLocaleString('en-US')} req/s (p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms)\n`)
}

function summary(name: string, tally: Tally): number {
  const rps = tally.ok2xx / tally.durationS
  process.stderr.write(`${name}: ${Math.round(rps).toLocaleString('en-US')} req/s 2xx over ${tally.durationS.toFixed(1)} s · non-2xx ${tally.non2xx} · errors ${tally.errors} · worst p99 ${tally.p99Ms} ms\n`)
  if (tally.non2xx > 0 || tally.errors > 0) process.stderr.write(`warning: ${name} had ${tally.non2xx} non-2xx responses and ${tally.errors} errors\n`)
  return rps
}

async function main(): Promise<void> {
  process.stderr.write(`bench:server · ${CONNECTIONS} connections · pipelining 1 · ${WARMUP_S} s warm-up each, then ${ROUNDS} alternating rounds of ${ROUND_S} s each\n`)
  const { child, targets } = await startChild()
  try {
    process.stderr.write(`like route: ${targets.likeUrl}/v1/videos/:videoId/likes (robust, baseline world) · bare route: ${targets.bareUrl}${BARE_PATH_PREFIX}:videoId/likes\n`)
    const bareRequest = likeRequest(targets, (videoId) => `${BARE_PATH_PREFIX}${videoId}/likes`)
    const likeRequestSpec = likeRequest(targets, (videoId) => `/v1/videos/${videoId}/likes`)
    await cannon(targets.bareUrl, bareRequest, WARMUP_S)
    await cannon(targets.likeUrl, likeRequestSpec, WARMUP_S)
    const bare: Tally = { ok2xx: 0, durationS: 0, non2xx: 0, errors: 0, p99Ms: 0 }
    const like: Tally = { ok2xx: 0, durationS: 0, non2xx: 0, errors: 0, p99Ms: 0 }
    for (let i = 0; i < ROUNDS; i++) {
      await round('bare fastify', targets.bareUrl, bareRequest, bare)
      await round('like route', targets.likeUrl, likeRequestSpec, like)
    }
    const bareRps = summary('bare fastify', bare)
    const likeRps = summary('like route', like)
    const ratio = Math.round((likeRps / bareRps) * 1000) / 1000
    console.log(JSON.stringify({ bench: 'server', likeRps: Math.round(likeRps), bareRps: Math.round(bareRps), ratio }))
  } finally {
    child.send('stop')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    await new Promise((resolve) => child.once('exit', resolve))
    clearTimeout(timer)
  }
}

if (process.argv.includes(CHILD_FLAG)) await serveBoth()
else await main()
