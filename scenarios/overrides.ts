// What `likestorm run`'s load flags change in a scenario: --duration, --rate, --vus and --threshold,
// k6's command-line overrides in LikeStorm's terms. Pure: the flags' values are checked, applied to
// a scenario as plain data (the result is validated like any scenario), and recorded in the run's
// result with the flags that repeat them appended to its replay command.
//
// The flags change the *main* k6 scenario of the load: its only one, or, when it has several, the
// one named `main`. k6's own --duration and --vus replace a script's scenarios with one of their
// own (grafana/k6#3741); here the main scenario keeps its executor (the world's sessions arrive
// through it) and the flags change its numbers.
import type { Options, Scenario as K6Scenario, Stage } from 'k6/options'
import { overrideFlags } from '../result/overrides.ts'
import type { RunOverrides, RunResult } from '../result/result.ts'
import { UsageError } from './errors.ts'
import { formatDurationS, parseDurationMs } from './k6-duration.ts'
import { parseMetricKey, parseThresholdExpression } from './run/threshold.ts'
import type { Scenario } from './scenario.ts'

export type { RunOverrides } from '../result/result.ts'
export { overrideFlags } from '../result/overrides.ts'

/** The name that makes a k6 scenario the main one when the load has several. */
export const MAIN_SCENARIO = 'main'

const DURATION_S_MAX = 86_400
const COUNT_MAX = 1_000_000
/** --threshold flags accepted at most (a bound, like every list the harness takes). */
export const THRESHOLD_FLAGS_MAX = 50

/** The flags as parsed from the command line (absent: not given). */
export interface OverrideFlags {
  readonly duration?: string | undefined
  readonly rate?: string | undefined
  readonly vus?: string | undefined
  readonly threshold?: readonly string[] | undefined
}

/**
 * The flags' values checked, every problem at once (LS_BAD_FLAG): a k6 duration of whole seconds,
 * whole numbers >= 1, thresholds as `metric: expression`. Undefined when no flag is given.
 */
export function parseOverrides(flags: OverrideFlags): RunOverrides | undefined {
  const problems: string[] = []
  const overrides: { durationS?: number; rate?: number; vus?: number; thresholds?: string[] } = {}
  if (flags.duration !== undefined) {
    const ms = parseDurationMs(flags.duration)
    if (ms === undefined || ms % 1000 !== 0 || ms < 1000 || ms > DURATION_S_MAX * 1000) problems.push(`--duration must be a k6 duration of whole seconds from 1s to 24h (30s, 5m, 1h30m), got ${JSON.stringify(flags.duration)}`)
    else overrides.durationS = ms / 1000
  }
  for (const flag of ['rate', 'vus'] as const) {
    const text = flags[flag]
    if (text === undefined) continue
    const n = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN
    if (!(Number.isSafeInteger(n) && n >= 1 && n <= COUNT_MAX)) problems.push(`--${flag} must be a whole number from 1 to ${COUNT_MAX}, got ${JSON.stringify(text)}`)
    else overrides[flag] = n
  }
  const thresholds = flags.threshold ?? []
  if (thresholds.length > THRESHOLD_FLAGS_MAX) problems.push(`--threshold is given ${thresholds.length} times; at most ${THRESHOLD_FLAGS_MAX}`)
  else if (thresholds.length > 0) overrides.thresholds = thresholds.map((text) => normalThreshold(text, problems))
  if (problems.length > 0) throw new UsageError('LS_BAD_FLAG', problems.join('; '))
  return Object.keys(overrides).length === 0 ? undefined : overrides
}

/** `metric{tags}: expression` as `key: expression`, each side parsed (a problem for each that does not). */
function normalThreshold(text: string, problems: string[]): string {
  const split = splitThreshold(text)
  if (split === undefined) {
    problems.push(`--threshold must be 'metric: expression' (e.g. 'http_req_duration: p(99)<500'), got ${JSON.stringify(text)}`)
    return text
  }
  try {
    parseMetricKey(split.key)
    parseThresholdExpression(split.expression)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    problems.push(`--threshold ${error.message}`)
  }
  return `${split.key}: ${split.expression}`
}

/** A threshold flag split at its first colon outside the key's tag braces (`http_req_duration{op:like}: p(95)<200`). */
function splitThreshold(text: string): { readonly key: string; readonly expression: string } | undefined {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '{') depth++
    else if (text[i] === '}') depth--
    else if (text[i] === ':' && depth === 0) return { key: text.slice(0, i).trim(), expression: text.slice(i + 1).trim() }
  }
  return undefined
}

/** The main k6 scenario's name: the load's only one, else the one named `main`; otherwise why there is none. */
export function mainScenarioName(load: Options): { readonly name: string } | { readonly problem: string } {
  const names = Object.keys(load.scenarios ?? {})
  if (names.length === 1) return { name: names[0] as string }
  if (names.includes(MAIN_SCENARIO)) return { name: MAIN_SCENARIO }
  if (names.length === 0) return { problem: 'the load has no k6 scenario to change' }
  return { problem: `the load has ${names.length} k6 scenarios (${names.join(', ')}) and none is named ${MAIN_SCENARIO}; the flags change the only one or the one named ${MAIN_SCENARIO}` }
}

/**
 * The scenario as the overrides make it, and every reason they do not apply to it (each naming
 * the flag). --duration sets durationS and stretches the main k6 scenario's timeline (startTime,
 * duration, stages, maxDuration) by new/old length; --rate and --vus set its rate and VUs;
 * --threshold replaces the scenario's thresholds on that metric key (see withThresholds).
 */
export function applyOverrides(scenario: Scenario, overrides: RunOverrides | undefined): { scenario: Scenario; problems: string[] } {
  if (overrides === undefined) return { scenario, problems: [] }
  const problems: string[] = []
  let load = scenario.load
  const flags = (['durationS', 'rate', 'vus'] as const).filter((field) => overrides[field] !== undefined)
  if (flags.length > 0) {
    const main = mainScenarioName(load)
    const options = 'name' in main ? load.scenarios?.[main.name] : undefined
    if (!('name' in main) || options === undefined) {
      problems.push(`${flags.map(flagOf).join(', ')}: ${'problem' in main ? main.problem : 'no main k6 scenario'}`)
    } else {
      let changed: K6Scenario = options
      const at = `load.scenarios.${main.name}`
      if (overrides.durationS !== undefined) changed = stretched(changed, overrides.durationS / scenario.durationS)
      if (overrides.rate !== undefined) changed = withRate(changed, overrides.rate, at, problems)
      if (overrides.vus !== undefined) changed = withVus(changed, overrides.vus)
      load = { ...load, scenarios: { ...load.scenarios, [main.name]: changed } }
    }
  }
  if (overrides.thresholds !== undefined) load = { ...load, thresholds: withThresholds(load.thresholds, overrides.thresholds, problems) }
  return { scenario: { ...scenario, durationS: overrides.durationS ?? scenario.durationS, load }, problems }
}

function flagOf(field: 'durationS' | 'rate' | 'vus'): string {
  return field === 'durationS' ? '--duration' : `--${field}`
}

/** Every time of the k6 scenario times `factor`, at whole milliseconds; ends are rounded, so nothing ends past the new length. */
function stretched(options: K6Scenario, factor: number): K6Scenario {
  const startMs = parseDurationMs(options.startTime ?? '0s') ?? 0
  const newStartMs = Math.round(startMs * factor)
  // A span of `spanMs` from `fromMs` after the test's start, from its scaled start to its scaled
  // end: both rounded alike, so consecutive stages meet and the last ends within the new length.
  const span = (fromMs: number, spanMs: number): string => formatDurationS((Math.round((fromMs + spanMs) * factor) - Math.round(fromMs * factor)) / 1000)
  const base = options.startTime === undefined ? options : { ...options, startTime: formatDurationS(newStartMs / 1000) }
  switch (options.executor) {
    case 'constant-arrival-rate':
    case 'constant-vus':
      return { ...base, duration: span(startMs, parseDurationMs(options.duration) ?? 0) } as K6Scenario
    case 'ramping-arrival-rate':
    case 'ramping-vus': {
      let atMs = startMs
      const stages = options.stages.map((stage): Stage => {
        const ms = parseDurationMs(stage.duration) ?? 0
        const duration = span(atMs, ms)
        atMs += ms
        return { ...stage, duration }
      })
      return { ...base, stages } as K6Scenario
    }
    case 'per-vu-iterations':
    case 'shared-iterations':
      return options.maxDuration === undefined ? base : ({ ...base, maxDuration: span(startMs, parseDurationMs(options.maxDuration) ?? 0) } as K6Scenario)
    default:
      // An executor k6 does not have: validation names it.
      return base
  }
}

/** Arrival-rate executors only: constant-arrival-rate's rate; ramping-arrival-rate's ramp keeps its shape and peaks at `rate`. */
function withRate(options: K6Scenario, rate: number, at: string, problems: string[]): K6Scenario {
  if (options.executor === 'constant-arrival-rate') return { ...options, rate }
  if (options.executor === 'ramping-arrival-rate') {
    const peak = Math.max(options.startRate ?? 0, ...options.stages.map((stage) => stage.target))
    if (!(peak > 0)) {
      problems.push(`--rate: ${at} ramps to no arrival rate above 0, so there is no peak to set`)
      return options
    }
    const scaled = (value: number): number => Math.round((value * rate) / peak)
    return { ...options, ...(options.startRate === undefined ? {} : { startRate: scaled(options.startRate) }), stages: options.stages.map((stage) => ({ ...stage, target: scaled(stage.target) })) }
  }
  problems.push(`--rate: ${at} is ${options.executor}, a VU executor (the closed model) with no arrival rate; --rate sets constant-arrival-rate or ramping-arrival-rate, use --vus for VUs`)
  return options
}

/**
 * VU executors: their VUs (ramping-vus: the ramp keeps its shape and peaks at `vus`). Arrival-rate
 * executors: the most VUs they may use, maxVUs (preAllocatedVUs lowered to it when above): the
 * most sessions in flight at once, arrivals beyond it dropped (k6's dropped_iterations).
 */
function withVus(options: K6Scenario, vus: number): K6Scenario {
  switch (options.executor) {
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return { ...options, maxVUs: vus, preAllocatedVUs: Math.min(options.preAllocatedVUs, vus) }
    case 'ramping-vus': {
      const peak = Math.max(options.startVUs ?? 1, ...options.stages.map((stage) => stage.target))
      const scaled = (value: number): number => Math.round((value * vus) / Math.max(1, peak))
      return { ...options, ...(options.startVUs === undefined ? {} : { startVUs: scaled(options.startVUs) }), stages: options.stages.map((stage) => ({ ...stage, target: scaled(stage.target) })) }
    }
    default:
      return { ...options, vus }
  }
}

/**
 * The scenario's thresholds with the flags': a flag's metric key (tags included, `http_req_duration`
 * and `http_req_duration{op:like}` are two keys) replaces that key's list, as a later source of an
 * options object does in k6; flags of one key all apply; other keys keep the scenario's.
 */
function withThresholds(thresholds: Options['thresholds'], flags: readonly string[], problems: string[]): NonNullable<Options['thresholds']> {
  const byKey = new Map<string, string[]>()
  for (const flag of flags) {
    const split = splitThreshold(flag)
    if (split === undefined) problems.push(`--threshold must be 'metric: expression', got ${JSON.stringify(flag)}`)
    else byKey.set(split.key, [...(byKey.get(split.key) ?? []), split.expression])
  }
  return { ...thresholds, ...Object.fromEntries(byKey) }
}

/** The result of a run with overrides: they are recorded in its configuration and its replay repeats them. */
export function withOverrides(result: RunResult, overrides: RunOverrides | undefined): RunResult {
  const flags = overrideFlags(overrides)
  if (overrides === undefined || flags === '') return result
  return { ...result, replay: `${result.replay} ${flags}`, config: { ...result.config, overrides } }
}
