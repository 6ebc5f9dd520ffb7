// Entry of the embedded mock server's thread (see embedded-server.ts). Plain JavaScript: a worker
// inherits no TypeScript loader from its parent, so it loads the sources itself (bundled, else
// through tsx: scenarios/run/worker-module.mjs), as bin/likestorm.js does (the installed package
// loads their build, next to it). A failure, loading included, reaches the driver as the worker's
// error.
import { parentPort, workerData } from 'node:worker_threads'
import { loadWorkerModule } from '../worker-module.mjs'

/** The module's build next to this file (the installed package), else its sources (worker-module.mjs). */
const load = (base) => loadWorkerModule(base, import.meta.url, { bundled: true })

const { serveEmbedded } = await load('./embedded-server-thread')
// process.exit in a worker ends this thread only, once the server has drained and closed.
await serveEmbedded(workerData, parentPort, (code) => process.exit(code))
