// Entry of the traffic thread (see traffic-pipe.ts). Plain JavaScript: a worker inherits no
// TypeScript loader from its parent (a test runner, the likestorm command), so it loads the sources
// itself (bundled, else through tsx: scenarios/run/worker-module.mjs), as bin/likestorm.js does
// (the installed package loads their build, next to it). Any failure, loading included, is reported
// through the ring's control words (state 2, failed) and the error port, because the driving thread
// is asleep on the ring, not listening for events.
import { workerData } from 'node:worker_threads'
import { loadWorkerModule } from '../worker-module.mjs'

/** The module's build next to this file (the installed package), else its sources (worker-module.mjs). */
const load = (base) => loadWorkerModule(base, import.meta.url, { bundled: true })

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
