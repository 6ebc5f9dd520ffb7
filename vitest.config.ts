import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Two groups, one after the other. The files that drive a run over real sockets on the wall clock
// (mode http, signals to a running command, socket timeouts) judge their own schedule: beside other
// test files on a 2-core machine they would measure the test runner, not LikeStorm, so they run
// alone, one file at a time, after the rest (the tour's tests skip its http leg: they are CPU).
// Everything else is CPU-bound and pure (or on virtual time) and runs on every core, without
// isolating files from each other: each worker loads the sources once (isolated, loading them took
// ~110 s of the suite's CPU), so a test file must leave no state behind (spies are restored after
// every test). The pure parts of mode http (plans, decisions, bookkeeping: no socket, no timer) are
// CPU.
const PURE_HTTP_FILES = ['wall-plan', 'target-capabilities', 'proxy-fault-state', 'retry-horizon', 'http-faults', 'abort-watch', 'target', 'harness-health', 'server-clock', 'vu-budget', 'admin-watch']
const WALL_CLOCK_FILES = [
  `test/scenarios/run/http/!(${PURE_HTTP_FILES.map((name) => `${name}.test.ts`).join('|')})`,
  'test/cli/signals.test.ts',
  'test/cli/bounds.test.ts',
  'test/mock-server/http/slow-clients.test.ts',
  'test/mock-server/http/hostile.test.ts',
  // A real k6 against a served world (skipped when no k6 is on PATH).
  'test/k6/real-k6.test.ts',
]

// `import … from 'likestorm'` (the API examples, examples/) reads the sources, as tsconfig's paths
// say: the package's exports name its build, which only `npm pack` makes.
const resolve = { alias: [{ find: /^likestorm$/, replacement: fileURLToPath(new URL('./index.ts', import.meta.url)) }] }

const shared = { testTimeout: 60_000, hookTimeout: 60_000, pool: 'forks', restoreMocks: true } as const

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          ...shared,
          name: 'cpu',
          include: ['test/**/*.test.ts'],
          exclude: WALL_CLOCK_FILES,
          maxWorkers: 2,
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        resolve,
        test: {
          ...shared,
          name: 'wall-clock',
          include: WALL_CLOCK_FILES,
          fileParallelism: false,
          // One process for them all, as in the CPU project (a fork per file loaded the sources 18
          // times: ~30 s of the suite); each file leaves no state behind.
          isolate: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
})
