// `--detector <module>` (run): the user's own bot detector, loaded, checked and guarded
// (mock-server/detector-file.ts). A module that cannot run is one usage line, exit 2.
import type { DetectorModule } from '../mock-server/core/detection/detector-module.ts'
import { loadDetectorFile } from '../mock-server/detector-file.ts'
import { UsageError } from '../scenarios/errors.ts'

/** The detector in the module at `path` (relative to `cwd`), or a UsageError LS_BAD_DETECTOR that says what is wrong with it. */
export async function detectorArg(path: string, cwd: string): Promise<DetectorModule> {
  const loaded = await loadDetectorFile(path, { cwd })
  if (!loaded.ok) throw new UsageError('LS_BAD_DETECTOR', loaded.problem)
  return loaded.module
}
