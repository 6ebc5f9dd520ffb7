// Our own incident, replayed: the Virginia overload of the library, but longer and harder, with the
// counter cache slowing down while it lasts. Run it with
//   npx likestorm run ./examples/scenarios/incident.scenario.ts --seed 3 --scale 0.25
// A scenario file exports one scenario; `defineScenario` types it (autocompletion, k6's Options for
// `load`) and returns it unchanged. Starting from a library scenario (the spread below, or the
// field `extends: 'overload-virginia'`) keeps its world, load, capacities, checks and expectations;
// every field given here replaces the base's.
import { defineScenario, scenarioByName } from 'likestorm'

export default defineScenario({
  ...scenarioByName('overload-virginia'),
  // Results go to out/<name>/; lower-case letters, digits and dashes.
  name: 'virginia-incident',
  title: 'Our Virginia overload, with a slow cache',
  summary:
    'us-east takes 4x its capacity for 80 s while its counter cache answers in 400 ms. Reads must never show 0 while likes exist, every acknowledged like is kept, and goodput recovers within 20 s of the load dropping.',
  // Windows in seconds of scenario time, inside durationS (150 s, from overload-virginia).
  faults: [
    { kind: 'overload', region: 'us-east', factor: 4, startS: 20, endS: 100 },
    { kind: 'slow-cache', region: 'us-east', latencyMs: 400, startS: 40, endS: 80 },
  ],
})
