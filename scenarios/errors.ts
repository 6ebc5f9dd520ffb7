// Errors a user can cause (bad scenario, bad flag, bad value): a stable code and one line that
// names the field or flag and what is allowed. The CLI maps them to exit code 2.

export class UsageError extends Error {
  readonly code: string
  readonly problems: readonly string[]

  constructor(code: string, message: string, problems: readonly string[] = []) {
    super(problems.length === 0 ? message : `${message}: ${problems.join('; ')}`)
    this.name = 'UsageError'
    this.code = code
    this.problems = problems
  }
}

export const ERROR_CODES = {
  LS_BAD_SCENARIO: 'the scenario is not valid',
  LS_UNKNOWN_SCENARIO: 'no scenario by that name',
  LS_UNKNOWN_STRATEGY: 'no counting strategy by that name',
  LS_BAD_SYSTEM: 'the --system module cannot run: it does not load, implements another interface version, or is not a system module',
  LS_BAD_DETECTOR: 'the --detector module cannot run: it does not load, implements another interface version, or is not a detector module (docs/detectors.md)',
  LS_BAD_FLAG: 'unknown flag or bad flag value',
  LS_WORLD_MISMATCH: 'the --target serves another world (another scenario, --seed or --scale): most of its first answers name unknown users or videos',
  LS_BAD_TARGET_PROFILE: "a --target-profile file, or the target's capabilities document (/.well-known/likestorm.json), is not valid or names regions the scenario cannot use",
  LS_PROVISIONING_FAILED: 'the target declares a provisioning path but did not take the world there',
  LS_BAD_ADAPTER: 'an --adapter module does not load, or is not an adapter of the interface version this LikeStorm speaks (docs/targets.md)',
  LS_DIRTY_TARGET: 'the --target holds state from before the run (likes or views a fresh world does not have) and could not be reset; pass --admin-token to reset it or --allow-dirty-target',
  LS_BAD_SCALE: 'the scenario does not fit the world at this --scale (too small for its farms or its fault timeline)',
  LS_BAD_USAGE: 'wrong command usage',
  LS_BAD_THRESHOLD: 'a k6 threshold or its metric key does not parse',
  LS_RESULT_UNREADABLE: 'a result file cannot be read or is not JSON',
  LS_RESULT_INVALID: 'a result file does not match the result schema',
  LS_SWARM_MISMATCH: 'swarm-merge was given shards of different swarms (different --runs, --seed, --strategy, shard count or code)',
  LS_SWARM_DUPLICATE: 'swarm-merge was given the same shard twice',
  LS_SWARM_SHARD_INVALID: 'a folder given to swarm-merge holds no valid swarm shard manifest (swarm-shard.json), or one that contradicts its swarm',
  LS_COMPARE_MISMATCH: 'two results cannot be compared (different scenario, scale, mode, time scale, --duration/--rate/--vus or strategy)',
} as const
