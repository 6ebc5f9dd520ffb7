// Entry of the embedded mock server's thread (see embedded-server.ts). Plain JavaScript: a worker
// inherits no TypeScript loader from its parent, so it loads the sources through tsx itself, as
// bin/likestorm.js does (the installed package loads their build, next to it). A failure, loading
// included, reaches the driver as the worker's error.
import { existsSync } from 'node:fs'
import { parentPort, workerData } from 'node:worker_threads'

/** The module's build next to this file (the installed package), else its source through tsx. */
async function load(base) {
  const compiled = new URL(`${base}.js`, import.meta.url)
  if (existsSync(compiled)) return import(compiled.href)
  const { tsImport } = await import('tsx/esm/api')
  return tsImport(`${base}.ts`, import.meta.url)
}

const { serveEmbedded } = await load('./embedded-server-thread')
// process.exit in a worker ends this thread only, once the server has drained and closed.
await serveEmbedded(workerData, parentPort, (code) => process.exit(code))
