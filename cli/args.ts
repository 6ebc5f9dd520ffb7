// Flag parsing on node:util's parseArgs (strict: unknown flags are errors), then value checks
// that name the flag and what it accepts.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from '../scenarios/errors.ts'

export type FlagSpec = NonNullable<ParseArgsConfig['options']>

export interface Parsed {
  readonly values: Record<string, string | boolean | undefined>
  readonly positionals: string[]
}

export function parseFlags(argv: readonly string[], options: FlagSpec, command: string): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true })
    return { values: values as Record<string, string | boolean | undefined>, positionals }
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ')
    throw new UsageError('LS_BAD_FLAG', `likestorm ${command}: ${message}; see likestorm help`)
  }
}

export function intFlag(value: string | boolean | undefined, flag: string, { min, max, fallback }: { min: number; max: number; fallback: number }): number {
  if (value === undefined) return fallback
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError('LS_BAD_FLAG', `${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`)
  return n
}

export function numberFlag(value: string | boolean | undefined, flag: string, { min, max, fallback }: { min: number; max: number; fallback: number }): number {
  if (value === undefined) return fallback
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN
  if (!Number.isFinite(n) || n <= min || n > max) throw new UsageError('LS_BAD_FLAG', `${flag} must be a number in (${min}, ${max}], got ${JSON.stringify(value)}`)
  return n
}

export function choiceFlag<T extends string>(value: string | boolean | undefined, flag: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new UsageError('LS_BAD_FLAG', `${flag} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`)
  }
  return value as T
}

export function stringFlag(value: string | boolean | undefined, fallback: string): string {
  return typeof value === 'string' ? value : fallback
}
