// The one command that replays a run exactly (result.json replay): the scenario, seed, mode, the
// target and how it was reached, the system or strategy, the detector, the scale and time scale.
import type { HttpRunConfig, RunMode } from '../../result/result.ts'
import { shellWord } from '../scenario-file.ts'

export function replayCommand({ scenario, seed, scale, strategy, system, detector, mode, http }: { scenario: string; seed: number; scale: number; strategy: string; system?: string | undefined; detector?: string | undefined; mode: RunMode; http?: HttpRunConfig | undefined }): string {
  let command = `npx likestorm run ${scenario} --seed ${seed}`
  if (mode !== 'sim') command += ` --mode ${mode}`
  // Against an external target the strategy is the target's own; the embedded server takes ours, or the user's module.
  // The target is every region's URL (http-runner's formatTarget), and the profile it was judged by.
  // So are --faults when it was not the admin API, --adapter and --allow-dirty-target.
  if (http !== undefined && http.target !== 'embedded') {
    command += ` --target ${http.target}${http.targetProfile === undefined ? '' : ` --target-profile ${http.targetProfile}`}${faultsFlag(http.faults)}`
    if (http.adapter !== undefined) command += ` --adapter ${shellWord(http.adapter)}`
    if (http.allowDirtyTarget === true) command += ' --allow-dirty-target'
  }
  else if (system !== undefined) command += ` --system ${shellWord(system)}`
  else if (strategy !== 'robust') command += ` --strategy ${strategy}`
  if (detector !== undefined) command += ` --detector ${shellWord(detector)}`
  if (scale !== 1) command += ` --scale ${scale}`
  if (http !== undefined && http.timeScale !== 1) command += ` --time-scale ${http.timeScale}`
  return command
}

function faultsFlag(route: HttpRunConfig['faults']): string {
  return route === undefined || route === 'admin' ? '' : ` --faults ${route}`
}
