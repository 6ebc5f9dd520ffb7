// Account handles: the public names people go by ("jane.doe42"), made with faker from a named
// stream of the run. Every account gets one, bot or not, so a handle says nothing of its owner.
import { Faker, base, en } from '@faker-js/faker'
import { PackedStrings } from './packed-strings.ts'
import type { RandomStream } from './rng.ts'

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
