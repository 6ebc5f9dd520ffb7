// The likestorm command: dispatch, one-line errors, named exit codes.
import { UsageError } from '../scenarios/errors.ts'
import { listCommand } from './commands/list.ts'
import { runCommand } from './commands/run.ts'
import { swarmCommand } from './commands/swarm.ts'
import { reportCommand } from './commands/report.ts'
import { compareCommand } from './commands/compare.ts'
import { serveCommand } from './commands/serve.ts'
import { tourCommand } from './commands/tour.ts'
import { exportK6Command } from './commands/export-k6.ts'
import { ingestK6Command } from './commands/ingest-k6.ts'
import { EXIT } from './exit-codes.ts'
import { HELP } from './help.ts'

export interface Io {
  readonly out: NodeJS.WritableStream
  readonly err: NodeJS.WriteStream
}

/** Run a command; a usage error, thrown at once or by an asynchronous command, is one line and exit 2. */
export function main(argv: readonly string[], io: Io): number | Promise<number> {
  try {
    const code = dispatch(argv, io)
    return typeof code === 'number' ? code : code.catch((error: unknown) => usageExit(error, io))
  } catch (error) {
    return usageExit(error, io)
  }
}

function dispatch(argv: readonly string[], io: Io): number | Promise<number> {
  const [command, ...rest] = argv
  switch (command) {
    case 'list':
      return listCommand(io.out)
    case 'run':
      return runCommand(rest, io)
    case 'tour':
      return tourCommand(rest, io)
    case 'swarm':
      return swarmCommand(rest, io)
    case 'report':
      return reportCommand(rest, io)
    case 'compare':
      return compareCommand(rest, io)
    case 'serve':
      return serveCommand(rest, io)
    case 'export-k6':
      return exportK6Command(rest, io)
    case 'ingest-k6':
      return ingestK6Command(rest, io)
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.out.write(HELP)
      return EXIT.OK
    default:
      throw new UsageError('LS_BAD_USAGE', `unknown command ${JSON.stringify(command)}; commands: list, run, tour, swarm, serve, report, compare, export-k6, ingest-k6, help`)
  }
}

function usageExit(error: unknown, io: Io): number {
  if (!(error instanceof UsageError)) throw error
  io.err.write(`likestorm: ${error.message} [${error.code}]\n`)
  return EXIT.USAGE
}
