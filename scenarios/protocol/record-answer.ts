// A failed attempt into the history, as its kind says: definitely not applied (fail) or maybe
// applied (indeterminate). Every mode records failures through here, so the outcome of a kind is
// decided in one table (answer-kind.ts).
import { History, Outcome } from '../../sim/history.ts'
import { outcomeOf, type Classified } from './answer-kind.ts'

/** Record attempt `index`'s failure, answered (or given up on) at `doneMs` after `latencyMs`. */
export function recordFailure(history: History, index: number, { doneMs, latencyMs, failure }: { doneMs: number; latencyMs: number; failure: Classified }): void {
  if (outcomeOf(failure.kind) === Outcome.Indeterminate) history.indeterminate(index, doneMs, failure.kind, failure.code)
  else history.fail(index, doneMs, latencyMs, failure.kind, failure.code)
}
