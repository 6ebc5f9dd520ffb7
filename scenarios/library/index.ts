// The scenario library, by name.
import type { Scenario } from '../scenario.ts'
import { baseline } from './baseline.ts'
import { botPurge } from './bot-purge.ts'
import { overloadVirginia } from './overload-virginia.ts'

export const LIBRARY: readonly Scenario[] = [baseline, overloadVirginia, botPurge]

export function scenarioByName(name: string): Scenario | undefined {
  return LIBRARY.find((scenario) => scenario.name === name)
}
