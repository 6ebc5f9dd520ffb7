// likestorm list: the scenario library.
import { LIBRARY } from '../../scenarios/library/index.ts'
import { EXIT } from '../exit-codes.ts'

export function listCommand(out: NodeJS.WritableStream): number {
  const width = Math.max(...LIBRARY.map((s) => s.name.length))
  for (const scenario of LIBRARY) {
    const naive = scenario.expect.naive?.failing ?? []
    out.write(`${scenario.name.padEnd(width)}  ${scenario.title}\n${' '.repeat(width + 2)}${scenario.summary}\n`)
    out.write(`${' '.repeat(width + 2)}robust: passes · naive: ${naive.length === 0 ? 'passes' : `fails ${naive.join(', ')}`}\n\n`)
  }
  return EXIT.OK
}
