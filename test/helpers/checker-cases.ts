// Each checker with the planted defect that breaks its invariant (planted-defects.ts) and the
// library scenario that exercises it. checkers-fail.test.ts shows each checker failing on its
// defect; library-robust.test.ts shows each passing on robust in the same run (same scenario,
// seed and scale), so the robust runs are not made twice.
export const CHECKER_CASES = [
  { checker: 'no-lost-likes', strategy: 'broken-lost-likes', scenario: 'baseline' },
  { checker: 'no-double-count', strategy: 'broken-double-count', scenario: 'baseline' },
  { checker: 'counter-bounds', strategy: 'broken-counter-bounds', scenario: 'baseline' },
  { checker: 'never-zero', strategy: 'broken-zero-reads', scenario: 'baseline' },
  { checker: 'view-counts', strategy: 'broken-view-counts', scenario: 'baseline' },
  { checker: 'no-flip', strategy: 'broken-flip', scenario: 'baseline' },
  { checker: 'convergence', strategy: 'broken-no-converge', scenario: 'baseline' },
  { checker: 'purge-accuracy', strategy: 'broken-purge', scenario: 'bot-purge' },
  { checker: 'view-counts', strategy: 'broken-purge-keeps-views', scenario: 'bot-purge' },
  { checker: 'goodput', strategy: 'broken-no-shed', scenario: 'overload-virginia' },
  { checker: 'last-intent', strategy: 'broken-replay', scenario: 'like-flap' },
  { checker: 'notifications', strategy: 'broken-notifications', scenario: 'baseline' },
  { checker: 'takedown', strategy: 'broken-takedown', scenario: 'takedown' },
  { checker: 'steady-state', strategy: 'broken-leak', scenario: 'soak' },
] as const

/** The scale and seed of both halves: the library tests' (library-robust.test.ts). */
export const LIBRARY_TEST_RUN = { scale: 0.5, seed: 7 } as const
