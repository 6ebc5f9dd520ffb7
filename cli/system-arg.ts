// `--system <module>` (run, serve): the user's own system under test, loaded, checked and guarded
// (mock-server/systems/system-file.ts). A module that cannot run is one usage line, exit 2.
import type { StrategyBehaviour } from '../mock-server/core/strategy.ts'
import { loadSystemFile } from '../mock-server/systems/system-file.ts'
import { UsageError } from '../scenarios/errors.ts'

/** The system in the module at `path` (relative to `cwd`), or a UsageError LS_BAD_SYSTEM that says what is wrong with it. */
export async function systemArg(path: string, cwd: string): Promise<StrategyBehaviour> {
  const loaded = await loadSystemFile(path, { cwd })
  if (!loaded.ok) throw new UsageError('LS_BAD_SYSTEM', loaded.problem)
  return loaded.module
}

/** --system and --strategy name the same thing: one or the other. */
export function assertOneSystem(values: { readonly system?: unknown; readonly strategy?: unknown }): void {
  if (values.system !== undefined && values.strategy !== undefined) {
    throw new UsageError('LS_BAD_FLAG', '--system and --strategy are exclusive: --strategy names a built-in system (robust, naive), --system loads your own module')
  }
}
