// "Did you mean …?": the closest of the known words to a mistyped one, when it is close enough to
// be the word meant (an edit distance of at most a third of its length, and at least two edits:
// a swap of two letters is two).
import { closest, distance } from 'fastest-levenshtein'

export function suggestion(word: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined
  const best = closest(word, [...known])
  return distance(word, best) <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined
}

/** ` (did you mean x?)`, or nothing. */
export function didYouMean(word: string, known: readonly string[]): string {
  const best = suggestion(word, known)
  return best === undefined ? '' : ` (did you mean ${best}?)`
}
