// The likestorm command: dispatch, one-line errors, named exit codes.
import { UsageError } from '../scenarios/errors.ts'
import { listCommand } from './commands/list.ts'
import { runCommand } from './commands/run.ts'
import { swarmCommand } from './commands/swarm.ts'
import { swarmMergeCommand } from './commands/swarm-merge.ts'
import { reportCommand } from './commands/report.ts'
import { compareCommand } from './commands/compare.ts'
import { serveCommand } from './commands/serve.ts'
import { tourCommand } from './commands/tour.ts'
import { exportK6Command } from './commands/export-k6.ts'
import { ingestK6Command } from './commands/ingest-k6.ts'
import { newCommand } from './commands/new.ts'
import { worldCommand } from './commands/world.ts'
import { EXIT } from './exit-codes.ts'
import { commandHelp, overviewHelp, versionText } from './help.ts'
import { didYouMean } from './suggest.ts'
import { usageErrorLine } from './error-line.ts'

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

/** Each command with its arguments after the command name. */
const COMMANDS: Readonly<Record<string, (rest: readonly string[], io: Io) => number | Promise<number>>> = {
  list: (_rest, io) => listCommand(io.out),
  run: runCommand,
  tour: tourCommand,
  swarm: swarmCommand,
  'swarm-merge': swarmMergeCommand,
  report: reportCommand,
  compare: compareCommand,
  serve: serveCommand,
  'export-k6': exportK6Command,
  'ingest-k6': ingestK6Command,
  new: newCommand,
  world: worldCommand,
}

function dispatch(argv: readonly string[], io: Io): number | Promise<number> {
  const [command, ...rest] = argv
  if (command === '--version' || command === '-V' || command === 'version') {
    io.out.write(versionText())
    return EXIT.OK
  }
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    const topic = command === 'help' ? rest[0] : undefined
    io.out.write(topic === undefined ? overviewHelp() : (commandHelp(topic) ?? unknownCommand(topic)))
    return EXIT.OK
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined
  if (run === undefined) unknownCommand(command)
  // Before `--`, a --help or -h anywhere asks for help, whatever else the line holds.
  const flags = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest
  if (flags.includes('--help') || flags.includes('-h')) {
    io.out.write(commandHelp(command) ?? overviewHelp())
    return EXIT.OK
  }
  return (run as NonNullable<typeof run>)(rest, io)
}

function unknownCommand(command: string): never {
  const hint = command.startsWith('-') ? `; flags go after the command, e.g. likestorm run baseline ${command}` : didYouMean(command, Object.keys(COMMANDS))
  throw new UsageError('LS_BAD_USAGE', `unknown command ${JSON.stringify(command)}${hint}; commands: ${Object.keys(COMMANDS).join(', ')}, help`)
}

function usageExit(error: unknown, io: Io): number {
  if (!(error instanceof UsageError)) throw error
  io.err.write(usageErrorLine(error))
  return EXIT.USAGE
}
