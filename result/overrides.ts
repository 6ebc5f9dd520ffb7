// The flags a run's overrides were given as (`--duration 30s --rate 800 --threshold '…'`), shell
// quoted: the tail of its replay command and what reports show beside its configuration.
import type { RunOverrides } from './result.ts'

/** The overrides as `likestorm run` flags, in a fixed order ('' for none). */
export function overrideFlags(overrides: RunOverrides | undefined): string {
  if (overrides === undefined) return ''
  const flags: string[] = []
  if (overrides.durationS !== undefined) flags.push(`--duration ${overrides.durationS}s`)
  if (overrides.rate !== undefined) flags.push(`--rate ${overrides.rate}`)
  if (overrides.vus !== undefined) flags.push(`--vus ${overrides.vus}`)
  for (const threshold of overrides.thresholds ?? []) flags.push(`--threshold '${threshold.replace(/'/g, "'\\''")}'`)
  return flags.join(' ')
}
