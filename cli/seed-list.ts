// `run --seeds`: a list of world seeds, `1..10`, `1,3,5` or `1..5,9`, in the order given. Bounded:
// a range's size is checked before it is expanded, so `1..1e15` is one usage error, not a loop.
import { UsageError } from '../scenarios/errors.ts'

/** Most seeds one command runs: a thousand runs is already hours at scale 1. */
export const SEEDS_MAX = 1000

const SEED = /^\d+$/
const RANGE = /^(\d+)\.\.(\d+)$/

/** The seeds `text` names, or a usage error (LS_BAD_FLAG) naming the part that is wrong. */
export function parseSeedList(text: string): number[] {
  const bad = (why: string): UsageError => new UsageError('LS_BAD_FLAG', `--seeds ${JSON.stringify(text)}: ${why}; give seeds as 1..10, 1,3,5 or 1..5,9`)
  const parts = text.split(',').map((part) => part.trim())
  if (text.trim() === '' || parts.some((part) => part === '')) throw bad('an empty seed')
  const seeds: number[] = []
  const seen = new Set<number>()
  for (const part of parts) {
    const range = RANGE.exec(part)
    if (range === null && !SEED.test(part)) throw bad(`${JSON.stringify(part)} is neither a seed (a whole number ≥ 0) nor a range a..b`)
    const first = seedOf(range === null ? part : (range[1] as string), bad)
    const last = range === null ? first : seedOf(range[2] as string, bad)
    if (last < first) throw bad(`the range ${part} runs backwards`)
    if (seeds.length + (last - first + 1) > SEEDS_MAX) throw bad(`more than ${SEEDS_MAX} seeds`)
    for (let seed = first; seed <= last; seed++) {
      if (seen.has(seed)) throw bad(`seed ${seed} is named twice`)
      seen.add(seed)
      seeds.push(seed)
    }
  }
  return seeds
}

function seedOf(digits: string, bad: (why: string) => UsageError): number {
  const seed = Number(digits)
  if (!Number.isSafeInteger(seed)) throw bad(`seed ${digits} is above ${Number.MAX_SAFE_INTEGER}`)
  return seed
}

