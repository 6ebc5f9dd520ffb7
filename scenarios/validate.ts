// Scenario validation: every problem at once, each naming the field and what is allowed.
import { CHECK_NAMES } from '../sim/checks/check-types.ts'
import { validateFaults } from '../sim/faults.ts'
import { resolveWorldSpec, validateWorldSpec } from '../sim/world-spec.ts'
import { validateLoad } from './load-profile.ts'
import { parseThresholds } from './run/threshold.ts'
import { METRICS } from './run/metric-store.ts'
import { UsageError } from './errors.ts'
import type { Scenario } from './scenario.ts'

const NAME = /^[a-z][a-z0-9-]{0,63}$/

export function validateScenario(scenario: Scenario, { mode = 'sim' }: { mode?: 'sim' | 'http' } = {}): string[] {
  const problems: string[] = []
  if (!NAME.test(scenario.name)) problems.push(`name: must be lower-case letters, digits and dashes, got ${JSON.stringify(scenario.name)}`)
  if (!(scenario.durationS > 0 && scenario.durationS <= 86_400)) problems.push(`durationS: must be in (0, 86400], got ${scenario.durationS}`)
  if (scenario.title.trim() === '') problems.push('title: must not be empty')
  if (scenario.summary.trim() === '') problems.push('summary: must say what the scenario models and what a correct system shows')
  const world = resolveWorldSpec(scenario.world)
  problems.push(...validateWorldSpec(world, scenario.durationS))
  problems.push(...validateLoad(scenario.load, scenario.durationS, { mode }))
  try {
    for (const threshold of parseThresholds(scenario.load.thresholds)) {
      if (METRICS[threshold.key.metric] === undefined) problems.push(`load.thresholds.${threshold.key.source}: unknown metric ${threshold.key.metric}; known: ${Object.keys(METRICS).join(', ')}`)
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    problems.push(...error.problems.map((problem) => `load.thresholds: ${problem}`))
  }
  const regionIds = world.regions.map((region) => region.id)
  problems.push(...validateFaults(scenario.faults, { durationS: scenario.durationS, regionIds, videos: world.videos }))
  for (const id of regionIds) {
    const capacity = scenario.system.capacityRps[id]
    if (!(typeof capacity === 'number' && capacity > 0)) problems.push(`system.capacityRps.${id}: must be a positive number of requests per second`)
  }
  for (const id of Object.keys(scenario.system.capacityRps)) if (!regionIds.includes(id)) problems.push(`system.capacityRps.${id}: unknown region; known: ${regionIds.join(', ')}`)
  const ratio = scenario.system.cacheCapacityRatio
  if (ratio !== undefined && !(ratio > 0 && ratio <= 10)) problems.push('system.cacheCapacityRatio: must be in (0, 10]')
  const client = scenario.client ?? {}
  if (client.timeoutMs !== undefined && !(client.timeoutMs > 0)) problems.push('client.timeoutMs: must be > 0')
  if (client.maxAttempts !== undefined && !(Number.isInteger(client.maxAttempts) && client.maxAttempts >= 1 && client.maxAttempts <= 10)) problems.push('client.maxAttempts: must be an integer from 1 to 10')
  if (client.retryBudgetRatio !== undefined && !(client.retryBudgetRatio >= 0 && client.retryBudgetRatio <= 1)) problems.push('client.retryBudgetRatio: must be between 0 and 1')
  const checks = scenario.checks ?? {}
  for (const name of checks.run ?? []) if (!CHECK_NAMES.includes(name)) problems.push(`checks.run: unknown check ${name}; known: ${CHECK_NAMES.join(', ')}`)
  const goodput = checks.config?.goodput
  if (goodput !== undefined && !regionIds.includes(goodput.region)) problems.push(`checks.config.goodput.region: unknown region ${goodput.region}`)
  const during = goodput?.during ?? 'overload'
  if (goodput !== undefined && !scenario.faults.some((f) => f.kind === during && 'region' in f && f.region === goodput.region)) {
    problems.push(`checks.config.goodput: needs a${during === 'overload' ? 'n' : ''} ${during} fault on ${goodput.region}`)
  }
  const shares = checks.config?.exercised?.minAcknowledgedShare ?? {}
  for (const [group, share] of Object.entries(shares)) {
    if (!['likes', 'reads', 'views'].includes(group)) problems.push(`checks.config.exercised.minAcknowledgedShare.${group}: unknown group; known: likes, reads, views`)
    else if (!(typeof share === 'number' && share >= 0 && share <= 1)) problems.push(`checks.config.exercised.minAcknowledgedShare.${group}: must be a share between 0 and 1`)
  }
  const staleness = checks.config?.['bounded-staleness'] ?? {}
  if (staleness.freshGraceMs !== undefined && !(staleness.freshGraceMs >= 0 && Number.isFinite(staleness.freshGraceMs))) problems.push("checks.config['bounded-staleness'].freshGraceMs: must be a finite number of ms >= 0")
  if (staleness.maxStaleMs !== undefined && !(staleness.maxStaleMs > 0 && Number.isFinite(staleness.maxStaleMs))) problems.push("checks.config['bounded-staleness'].maxStaleMs: must be a finite number of ms > 0")
  for (const strategy of ['robust', 'naive'] as const) {
    for (const name of scenario.expect[strategy]?.failing ?? []) if (!CHECK_NAMES.includes(name)) problems.push(`expect.${strategy}.failing: unknown check ${name}`)
  }
  return problems
}
