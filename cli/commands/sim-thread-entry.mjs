// Entry of the thread `likestorm run --mode sim` computes on (see sim-thread.ts). Plain JavaScript:
// a worker inherits no TypeScript loader from its parent, so it loads the sources itself (through
// tsx: scenarios/run/worker-module.mjs), as bin/likestorm.js does (the installed
// package loads their build, next to it). A failure, loading included, reaches the parent as the
// worker's error.
import { parentPort, workerData } from 'node:worker_threads'
import { loadWorkerModule } from '../../scenarios/run/worker-module.mjs'

/** The module's build next to this file (the installed package), else its sources (worker-module.mjs). */
// Not bundled: its reports read their assets next to their modules, and it starts threads of its own.
const load = (base) => loadWorkerModule(base, import.meta.url, { bundled: false })

const { drainSimRuns } = await load('./run-sim')
await drainSimRuns(workerData, (message) => parentPort.postMessage(message))
