// A command's scenario argument: a library name, swarm-<seed>, or the user's scenario file. A
// mistyped name is refused with the closest known one.
import { UsageError } from '../scenarios/errors.ts'
import { LIBRARY, scenarioByName } from '../scenarios/library/index.ts'
import type { Scenario } from '../scenarios/scenario.ts'
import { isScenarioFileArg, loadScenarioFiles, type ScenarioFileRef } from '../scenarios/scenario-file.ts'
import { swarmScenarioByName } from '../scenarios/swarm.ts'
import { didYouMean } from './suggest.ts'

/** A scenario of the library, or swarm-<seed>, by name. */
export function runnableScenario(name: string): Scenario {
  const scenario = scenarioByName(name) ?? swarmScenarioByName(name)
  if (scenario === undefined) {
    const known = LIBRARY.map((s) => s.name)
    throw new UsageError('LS_UNKNOWN_SCENARIO', `unknown scenario ${JSON.stringify(name)}${didYouMean(name, known)}; known: ${known.join(', ')} (or swarm-<seed>, or a scenario file such as ./my.scenario.ts)`)
  }
  return scenario
}

export interface ScenarioArg {
  readonly scenario: Scenario
  /** Set when the scenario came from the user's file. */
  readonly file?: ScenarioFileRef
}

/** One scenario named by a command's argument: a name, or one file (not a glob). */
export async function scenarioArg(arg: string, { cwd, mode, command }: { cwd: string; mode: 'sim' | 'http'; command: string }): Promise<ScenarioArg> {
  if (!isScenarioFileArg(arg)) return { scenario: runnableScenario(arg) }
  if (/[*?]/.test(arg)) throw new UsageError('LS_BAD_USAGE', `likestorm ${command}: name one scenario file, not a glob (${arg})`)
  const [loaded] = await loadScenarioFiles([arg], { cwd, mode })
  if (loaded === undefined) throw new Error(`loadScenarioFiles returned nothing for ${arg}`)
  return loaded
}
