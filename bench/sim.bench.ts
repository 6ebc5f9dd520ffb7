// npm run bench:sim — the sim loop's throughput: `baseline` at a scale of at least 2 million
// operations, driven through the engagement core on virtual time with the history recorded.
// Reference in the same process: the world's traffic generator alone (no system, no history),
// so the ratio says what the system under test and the bookkeeping cost on top of the world.
// Last line: {"bench":"sim","ops":…,"opsPerS":…,"peakRssMb":…,…,"phasesMs":{setupMs,trafficMs,finalMs},"cpuMs":…,"parallelCeilingOpsPerS":…}
import { availableParallelism } from 'node:os'
import { ROBUST } from '../mock-server/core/strategy.ts'
import { scenarioByName } from '../scenarios/library/index.ts'
import { prepareRun } from '../scenarios/run/run-setup.ts'
import { runSimDriver } from '../scenarios/run/sim-driver.ts'
import { TrafficGenerator } from '../sim/traffic.ts'

const MIN_OPS = 2_000_000
const scale = Number(process.env.LIKESTORM_BENCH_SCALE ?? 10)
const scenario = scenarioByName('baseline')
if (scenario === undefined) throw new Error('baseline scenario missing')

function trafficOnly(): { ops: number; ms: number } {
  const setup = prepareRun({ scenario: scenario as NonNullable<typeof scenario>, seed: 7, scale })
  const traffic = new TrafficGenerator({ spec: setup.world, population: setup.population, faults: [], rate: setup.rate, durationS: setup.scenario.durationS, rng: setup.rng })
  const started = performance.now()
  let ops = 0
  while (traffic.next() !== undefined) ops++
  return { ops, ms: performance.now() - started }
}

/** Where the timed section went: building the core and the history, the traffic loop, the final reads. */
interface Phases {
  setupMs: number
  trafficMs: number
  finalMs: number
}

function simulate(): { ops: number; ms: number; cpuMs: number; phases: Phases } {
  const setup = prepareRun({ scenario: scenario as NonNullable<typeof scenario>, seed: 7, scale })
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  const marks = { traffic: Number.NaN, final: Number.NaN }
  const run = runSimDriver({
    setup,
    strategy: ROBUST,
    onProgress: (progress) => {
      if (progress.phase === 'traffic' && Number.isNaN(marks.traffic)) marks.traffic = performance.now()
      if (progress.phase === 'final') marks.final = performance.now()
    },
  })
  const ended = performance.now()
  const cpu = process.cpuUsage(cpuBefore)
  return { ops: run.operations, ms: ended - started, cpuMs: (cpu.user + cpu.system) / 1000, phases: { setupMs: Math.round(marks.traffic - started), trafficMs: Math.round(marks.final - marks.traffic), finalMs: Math.round(ended - marks.final) } }
}

const reference = trafficOnly()
console.error(`world only: ${reference.ops} operations in ${reference.ms.toFixed(0)} ms`)
const sim = simulate()
const { setupMs, trafficMs, finalMs } = sim.phases
console.error(`simulation: ${sim.ops} operations in ${sim.ms.toFixed(0)} ms (world + core + history + final reads): setup ${setupMs} ms, traffic ${trafficMs} ms (${((trafficMs * 1000) / sim.ops).toFixed(2)} µs per operation), final reads ${finalMs} ms`)
// The CPU the timed section used on all threads (the traffic thread's included): what the same
// work would take spread perfectly over every core is the most any scheduling of it could reach.
const cores = availableParallelism()
const parallelCeilingOpsPerS = Math.round((sim.ops / sim.cpuMs) * 1000 * cores)
console.error(`cpu: ${sim.cpuMs.toFixed(0)} ms on all threads (${((sim.cpuMs * 1000) / sim.ops).toFixed(2)} µs per operation); spread perfectly over ${cores} cores that is at most ${parallelCeilingOpsPerS} operations/s`)
if (sim.ops < MIN_OPS) console.error(`warning: only ${sim.ops} operations; raise LIKESTORM_BENCH_SCALE`)
const opsPerS = Math.round((sim.ops / sim.ms) * 1000)
const worldOpsPerS = Math.round((reference.ops / reference.ms) * 1000)
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024)
console.log(JSON.stringify({ bench: 'sim', ops: sim.ops, opsPerS, peakRssMb, scale, worldOnlyOpsPerS: worldOpsPerS, ratioToWorldOnly: Math.round((opsPerS / worldOpsPerS) * 1000) / 1000, phasesMs: sim.phases, cpuMs: Math.round(sim.cpuMs), parallelCeilingOpsPerS }))
