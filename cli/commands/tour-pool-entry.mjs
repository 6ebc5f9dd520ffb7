// Entry of the tour's second thread (see tour-pool.ts). Plain JavaScript: a worker inherits no
// TypeScript loader from its parent, so it loads the sources itself (bundled, else through tsx:
// scenarios/run/worker-module.mjs), as bin/likestorm.js does (the installed package loads their
// build, next to it). A failure, loading included, reaches the parent as the worker's error.
import { readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'
import { parentPort, workerData } from 'node:worker_threads'
import { loadWorkerModule } from '../../scenarios/run/worker-module.mjs'

/** The module's build next to this file (the installed package), else its sources (worker-module.mjs). */
// Not bundled: its reports read their assets next to their modules, and it starts threads of its own.
const load = (base) => loadWorkerModule(base, import.meta.url, { bundled: false })

// The sim runs are batch work; in the background the main thread is driving the http leg, whose
// schedule and latencies are measured. On Linux a thread has its own nice value: at 19 (the
// lowest priority, 1/68 of a normal thread's weight) this one yields its core whenever the main
// thread wants it, even when a neighbour's busy loop holds the other core (elsewhere, or without
// the right, it just runs at normal priority). Nothing can raise it again, and beside a busy loop
// such a thread hardly runs at all: it takes runs only while the leg lasts (the tour then starts
// a thread at normal priority), and a thread not in the background keeps normal priority.
if (workerData.background) {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop())
    if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, 19)
  } catch {
    // No /proc/thread-self (not Linux) or not permitted: normal priority.
  }
}

const { drainTourQueue } = await load('./tour-pool')
drainTourQueue(workerData, (output) => parentPort.postMessage(output))
parentPort.postMessage('done')
