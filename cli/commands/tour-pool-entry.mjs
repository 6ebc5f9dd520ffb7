// Entry of the tour's second thread (see tour-half.ts). Plain JavaScript: a worker inherits no
// TypeScript loader from its parent, so it loads the sources through tsx itself, as
// bin/likestorm.js does. A failure, loading included, reaches the parent as the worker's error.
import { parentPort, workerData } from 'node:worker_threads'
import { tsImport } from 'tsx/esm/api'

const { runTourHalf } = await tsImport('./tour-half.ts', import.meta.url)
parentPort.postMessage(runTourHalf(workerData))
