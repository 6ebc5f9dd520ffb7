#!/usr/bin/env node
// The likestorm command. In the repository the TypeScript sources run through tsx's loader, so
// `npx likestorm` works right after `npm ci` with no build step; the installed package has no
// sources, only their build (dist/, made by scripts/build.mjs when packing), and runs that.
import { existsSync } from 'node:fs'

const fromSources = existsSync(new URL('../cli/main.ts', import.meta.url))
if (fromSources) {
  const { register } = await import('tsx/esm/api')
  register()
}
const { main } = await import(fromSources ? '../cli/main.ts' : '../dist/cli/main.js')
const code = await main(process.argv.slice(2), { out: process.stdout, err: process.stderr })
process.exitCode = code
