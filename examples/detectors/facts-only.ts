// facts-only: the no-behaviour baseline as a --detector module. It scores accounts from what the
// platform knows of them (account age, last activity, followers, uploads) and never from what
// they did together, and purges those scoring 2 or more of 4 (suspicious on every fact at once):
//   likestorm run bot-purge --detector examples/detectors/facts-only.ts
// Every bot purge's result.json already compares the purge's detector with it
// (detection.baselines.factsOnly); this module makes it the purge's detector, to see what it
// would remove. Its source is LikeStorm's own (mock-server/core/detection/facts-only-detector.ts,
// exported by the package), so the baseline and this module cannot drift apart; docs/detectors.md
// walks through writing a detector of your own.
import { factsOnlyDetector } from 'likestorm'

export default factsOnlyDetector
