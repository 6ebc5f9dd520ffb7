#!/usr/bin/env node
// The likestorm command. TypeScript sources run through tsx's loader, so `npx likestorm` works
// right after `npm ci` with no build step.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../cli/main.ts')
const code = await main(process.argv.slice(2), { out: process.stdout, err: process.stderr })
process.exitCode = code
