// Flag parsing on commander: each command declares its flags once (name, value, one line of help),
// commander parses them (unknown flags are errors, with a did-you-mean) and writes the command's
// --help; the value checks here name the flag and what it accepts. Every error is one usage line.
import { Command, CommanderError, Option } from 'commander'
import { UsageError } from '../scenarios/errors.ts'
import { parseDurationMs } from '../scenarios/k6-duration.ts'

export interface FlagEntry {
  readonly type: 'string' | 'boolean'
  /** The value's name in help: `--seed <N>`. */
  readonly value?: string
  /** One line for the command's --help. */
  readonly help?: string
  /** May be given several times; the values come in order. */
  readonly multiple?: boolean
  /** An old name: giving it is an error that names the new one. */
  readonly renamedTo?: string
}

export type FlagSpec = Readonly<Record<string, FlagEntry>>

export type FlagValue = string | boolean | readonly string[] | undefined

export interface Parsed {
  readonly values: Record<string, FlagValue>
  readonly positionals: string[]
}

/** What a command's --help shows besides its flags. */
export interface CommandDoc {
  /** After `likestorm <name>`: its arguments, e.g. `<scenario|file…>`. */
  readonly args: string
  /** One line, for `likestorm help`. */
  readonly summary: string
  /** Command lines, each with what it does after a `#`. */
  readonly examples?: readonly string[]
  /** Sections printed after the flags (exit codes, signals, notes). */
  readonly notes?: readonly string[]
}

/** A commander command for one of ours: its flags, its positionals, no output of its own. */
export function commanderCommand(name: string, spec: FlagSpec, doc?: CommandDoc): Command {
  const command = new Command(`likestorm ${name}`)
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} })
    .helpOption(false)
    .allowExcessArguments(true)
    .action(() => {})
  if (doc !== undefined) command.usage(doc.args === '' ? '[flags]' : `${doc.args} [flags]`).description(doc.summary)
  command.argument('[arguments...]')
  for (const [flag, entry] of Object.entries(spec)) {
    const option = new Option(entry.type === 'boolean' ? `--${flag}` : `--${flag} <${entry.value ?? 'value'}>`, entry.help ?? '')
    if (entry.multiple === true) option.argParser((value: string, earlier: readonly string[] | undefined) => [...(earlier ?? []), value])
    if (entry.renamedTo !== undefined) option.hideHelp()
    command.addOption(option)
  }
  return command
}

export function parseFlags(argv: readonly string[], spec: FlagSpec, command: string): Parsed {
  const parser = commanderCommand(command, spec)
  try {
    parser.parse([...argv], { from: 'user' })
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error
    const message = error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').replace('(Did you mean', '(did you mean')
    throw new UsageError('LS_BAD_FLAG', `likestorm ${command}: ${message}; see likestorm ${command} --help`)
  }
  const opts = parser.opts()
  const values: Record<string, FlagValue> = {}
  for (const [flag, entry] of Object.entries(spec)) {
    // commander reads `--no-x` as x = false; ours is the flag `no-x` given (true) or not.
    const value: unknown = flag.startsWith('no-') ? (opts[camelCase(flag.slice(3))] === false ? true : undefined) : opts[camelCase(flag)]
    if (value === undefined) continue
    if (entry.renamedTo !== undefined) throw new UsageError('LS_BAD_FLAG', `likestorm ${command}: --${flag} is now --${entry.renamedTo}`)
    values[flag] = value as FlagValue
  }
  return { values, positionals: [...(parser.processedArgs[0] as string[])] }
}

/** A command's --help: usage, what it does, its flags, examples and notes. */
export function flagsHelp(name: string, spec: FlagSpec, doc: CommandDoc): string {
  const help = commanderCommand(name, spec, doc).helpInformation({ error: false }).replace(/^Usage:/, 'usage:').replace(/\nOptions:\n/, '\nflags:\n').replace(/\nArguments:\n(?: {2}.*\n)+/, '\n')
  const examples = doc.examples === undefined || doc.examples.length === 0 ? '' : `\nexamples:\n${doc.examples.map((line) => `  ${line}`).join('\n')}\n`
  return `${help}${examples}${(doc.notes ?? []).map((note) => `\n${note}`).join('')}`
}

function camelCase(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase())
}

function single(value: FlagValue, flag: string): string | boolean | undefined {
  if (Array.isArray(value)) throw new UsageError('LS_BAD_FLAG', `${flag} takes one value`)
  return value as string | boolean | undefined
}

export function intFlag(value: FlagValue, flag: string, { min, max, fallback }: { min: number; max: number; fallback: number }): number {
  const given = single(value, flag)
  if (given === undefined) return fallback
  const n = typeof given === 'string' && /^-?\d+$/.test(given.trim()) ? Number(given) : Number.NaN
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError('LS_BAD_FLAG', `${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(given)}`)
  return n
}

export function numberFlag(value: FlagValue, flag: string, { min, max, fallback }: { min: number; max: number; fallback: number }): number {
  const given = single(value, flag)
  if (given === undefined) return fallback
  const n = typeof given === 'string' && given.trim() !== '' ? Number(given) : Number.NaN
  if (!Number.isFinite(n) || n <= min || n > max) throw new UsageError('LS_BAD_FLAG', `${flag} must be a number in (${min}, ${max}], got ${JSON.stringify(given)}`)
  return n
}

/** A duration the k6 way (`90s`, `5m`, `1h30m`) or a number of seconds, in seconds. */
export function durationFlagS(value: FlagValue, flag: string, { maxS }: { maxS: number }): number | undefined {
  const given = single(value, flag)
  if (given === undefined) return undefined
  const text = typeof given === 'string' ? given.trim() : ''
  const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : parseDurationMs(text)
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0 || ms > maxS * 1000) {
    throw new UsageError('LS_BAD_FLAG', `${flag} must be a duration such as 90s, 10m or 1h30m (or seconds), above 0 and at most ${maxS}s, got ${JSON.stringify(given)}`)
  }
  return ms / 1000
}

export function choiceFlag<T extends string>(value: FlagValue, flag: string, allowed: readonly T[], fallback: T): T {
  const given = single(value, flag)
  if (given === undefined) return fallback
  if (typeof given !== 'string' || !allowed.includes(given as T)) {
    throw new UsageError('LS_BAD_FLAG', `${flag} must be one of ${allowed.join(', ')}, got ${JSON.stringify(given)}`)
  }
  return given as T
}

export function stringFlag(value: FlagValue, fallback: string): string {
  return typeof value === 'string' ? value : fallback
}
