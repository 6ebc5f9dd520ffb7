// Entry of the traffic thread (see traffic-pipe.ts). Plain JavaScript: a worker inherits no
// TypeScript loader from its parent (a test runner, the likestorm command), so it loads the
// sources through tsx itself, as bin/likestorm.js does (the installed package loads their build,
// next to it). Any failure, loading included, is reported through the ring's control words (state
// 2, failed) and the error port, because the driving thread is asleep on the ring, not listening
// for events.
import { existsSync } from 'node:fs'
import { workerData } from 'node:worker_threads'

/** The module's build next to this file (the installed package), else its source through tsx. */
async function load(base) {
  const compiled = new URL(`${base}.js`, import.meta.url)
  if (existsSync(compiled)) return import(compiled.href)
  const { tsImport } = await import('tsx/esm/api')
  return tsImport(`${base}.ts`, import.meta.url)
}

const STATE = 2
const SIGNAL = 3
const FAILED = 2

try {
  const { runTrafficWorker } = await load('./traffic-worker')
  runTrafficWorker(workerData.input)
} catch (error) {
  workerData.errors.postMessage(error instanceof Error ? (error.stack ?? error.message) : String(error))
  const control = new Int32Array(workerData.input.ring.control)
  Atomics.store(control, STATE, FAILED)
  Atomics.add(control, SIGNAL, 1)
  Atomics.notify(control, SIGNAL)
}
