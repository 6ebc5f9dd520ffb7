// Entry of the embedded mock server's thread (see embedded-server.ts). Plain JavaScript: a worker
// inherits no TypeScript loader from its parent, so it loads the sources through tsx itself, as
// bin/likestorm.js does. A failure, loading included, reaches the driver as the worker's error.
import { parentPort, workerData } from 'node:worker_threads'
import { tsImport } from 'tsx/esm/api'

const { serveEmbedded } = await tsImport('./embedded-server-thread.ts', import.meta.url)
// process.exit in a worker ends this thread only, once the server has drained and closed.
await serveEmbedded(workerData, parentPort, (code) => process.exit(code))
