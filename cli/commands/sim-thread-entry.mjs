// Entry of the thread `likestorm run --mode sim` computes on (see sim-thread.ts). Plain JavaScript:
// a worker inherits no TypeScript loader from its parent, so it loads the sources through tsx
// itself, as bin/likestorm.js does. A failure, loading included, reaches the parent as the worker's error.
import { parentPort, workerData } from 'node:worker_threads'
import { tsImport } from 'tsx/esm/api'

const { drainSimRuns } = await tsImport('./run-sim.ts', import.meta.url)
drainSimRuns(workerData, (message) => parentPort.postMessage(message))
