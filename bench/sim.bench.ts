// npm run bench:sim — the sim loop's throughput: `baseline` at a scale of at least 2 million
// operations, driven through the engagement core on virtual time with the history recorded.
// Reference in the same process: the world's traffic generator alone (no system, no history),
// so the ratio says what the system under test and the bookkeeping cost on top of the world.
// Last line: {"bench":"sim","ops":…,"opsPerS":…,"peakRssMb":…,…}
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

function simulate(): { ops: number; ms: number } {
  const setup = prepareRun({ scenario: scenario as NonNullable<typeof scenario>, seed: 7, scale })
  const started = performance.now()
  const run = runSimDriver({ setup, strategy: ROBUST })
  return { ops: run.operations, ms: performance.now() - started }
}

const reference = trafficOnly()
console.error(`world only: ${reference.ops} operations in ${reference.ms.toFixed(0)} ms`)
const sim = simulate()
console.error(`simulation: ${sim.ops} operations in ${sim.ms.toFixed(0)} ms (world + core + history + final reads)`)
if (sim.ops < MIN_OPS) console.error(`warning: only ${sim.ops} operations; raise LIKESTORM_BENCH_SCALE`)
const opsPerS = Math.round((sim.ops / sim.ms) * 1000)
const worldOpsPerS = Math.round((reference.ops / reference.ms) * 1000)
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024)
console.log(JSON.stringify({ bench: 'sim', ops: sim.ops, opsPerS, peakRssMb, scale, worldOnlyOpsPerS: worldOpsPerS, ratioToWorldOnly: Math.round((opsPerS / worldOpsPerS) * 1000) / 1000 }))
