// node --expose-gc --import tsx bench/fixed-memory.bench.ts [SCALE] — what a soak run holds before
// its first operation, part by part: the world (prepareRun), the engagement core with its
// directory and imported likes, and core.reserve for the run's requests (the view log and the
// idempotency keys), each as the resident set it adds after a full GC. For runs too large to
// measure whole on a small machine (soak --scale 200: 100 million operations).
// Last line: {"bench":"fixed-memory","scale":…,"requests":…,"populationMb":…,"coreDirectoryMb":…,"reserveMb":…,"totalMb":…,"peakMb":…}
import { EngagementCore } from '../mock-server/core/engagement-core.ts'
import { ROBUST } from '../mock-server/core/strategy.ts'
import { scenarioByName } from '../scenarios/library/index.ts'
import { coreConfigFor, directoryFor, estimateRunOperations, importedLikesFor, prepareRun } from '../scenarios/run/run-setup.ts'

const scale = Number(process.argv[2] ?? '200')
if (!(scale > 0)) throw new Error(`scale: a positive number, got ${process.argv[2]}`)
const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error('run with node --expose-gc')
const soak = scenarioByName('soak')
if (soak === undefined) throw new Error('no soak scenario')
const rssMb = (): number => {
  gc()
  return Math.round(process.memoryUsage().rss / 2 ** 20)
}

const startMb = rssMb()
const setup = prepareRun({ scenario: soak, seed: 5, scale })
const worldMb = rssMb()
const core = new EngagementCore(coreConfigFor(setup), ROBUST, { baselines: [] })
core.loadDirectory(directoryFor(setup.population))
core.importLikes(importedLikesFor(setup.population))
const coreMb = rssMb()
const requests = estimateRunOperations(setup.scenario, scale)
core.reserve({ requests, durationMs: setup.durationMs })
const reservedMb = rssMb()
const peakMb = Math.round(process.resourceUsage().maxRSS / 1024)
console.error(`soak --scale ${scale} (${requests.toLocaleString('en-US')} requests): world ${worldMb - startMb} MB, core and directory ${coreMb - worldMb} MB, reserve ${reservedMb - coreMb} MB; ${reservedMb} MB in all, peak ${peakMb} MB`)
console.log(JSON.stringify({ bench: 'fixed-memory', scale, requests, populationMb: worldMb - startMb, coreDirectoryMb: coreMb - worldMb, reserveMb: reservedMb - coreMb, totalMb: reservedMb, peakMb }))
