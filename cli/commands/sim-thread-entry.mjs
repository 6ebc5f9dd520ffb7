// Entry of the thread `likestorm run --mode sim` computes on (see sim-thread.ts). Plain JavaScript:
// a worker inherits no TypeScript loader from its parent, so it loads the sources through tsx
// itself, as bin/likestorm.js does (the installed package loads their build, next to it). A failure,
// loading included, reaches the parent as the worker's error.
import { existsSync } from 'node:fs'
import { parentPort, workerData } from 'node:worker_threads'

/** The module's build next to this file (the installed package), else its source through tsx. */
async function load(base) {
  const compiled = new URL(`${base}.js`, import.meta.url)
  if (existsSync(compiled)) return import(compiled.href)
  const { tsImport } = await import('tsx/esm/api')
  return tsImport(`${base}.ts`, import.meta.url)
}

const { drainSimRuns } = await load('./run-sim')
await drainSimRuns(workerData, (message) => parentPort.postMessage(message))
