// Account handles: the public names people go by ("jane.doe42"), made with faker from a named
// stream of the run. Every account gets one, bot or not, so a handle says nothing of its owner.
// Made on first use (AccountHandles): only a world export names them — a sim run, the embedded
// server and `likestorm serve` never do, and a world of 4 million accounts would spend seconds of
// faker and ~30 bytes an account on them (issue 20). The stream is named, so the handles are the
// same whenever they are made.
import { Faker, base, en } from '@faker-js/faker'
import { PackedStrings } from './packed-strings.ts'
import type { RandomStream } from './rng.ts'

/** The handles of `count` accounts, made from `stream()` (the run's 'faker' stream, used for nothing else) when first asked for. */
export class AccountHandles implements Iterable<string> {
  private made: PackedStrings | undefined

  constructor(
    private readonly stream: () => RandomStream,
    private readonly count: number,
  ) {}

  get(user: number): string | undefined {
    return this.all().get(user)
  }

  get length(): number {
    return this.count
  }

  [Symbol.iterator](): Iterator<string> {
    return this.all()[Symbol.iterator]()
  }

  private all(): PackedStrings {
    this.made ??= makeHandles(this.stream(), this.count)
    return this.made
  }

  /** Whether they have been made (a test's question: a sim run should not make them). */
  get isMade(): boolean {
    return this.made !== undefined
  }
}

/** `count` distinct handles, packed (issue 20), drawn in order from `stream`. */
export function makeHandles(stream: RandomStream, count: number): PackedStrings {
  // Faker draws from our named stream, never from its own default, unseeded generator.
  const faker = new Faker({ locale: [en, base], randomizer: { next: () => stream.next(), seed: () => {} } })
  const handles = new PackedStrings({ expectedCount: count })
  const separators = ['.', '_', '']
  for (let i = 0; i < count; i++) {
    let handle = ''
    do {
      const first = faker.person.firstName().toLowerCase().replace(/[^a-z]/g, '')
      const last = faker.person.lastName().toLowerCase().replace(/[^a-z]/g, '')
      const digits = stream.chance(0.6) ? String(stream.int(10_000)) : ''
      handle = `${first}${stream.pick(separators)}${last}${digits}`
    } while (handles.has(handle))
    handles.push(handle)
  }
  return handles
}
