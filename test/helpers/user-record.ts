// A genuine-looking account for core and server fixtures: a year old, active yesterday, each user
// on its own /24 (public documentation-style space; nothing is ever sent to it).
import type { UserRecord } from '../../mock-server/core/types.ts'

const DAY_MS = 86_400_000

export function userRecord(userId: string, i: number, overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    userId,
    handle: `@${userId}`,
    ip: `203.${i}.0.${(i % 250) + 1}`,
    homeRegion: 'us-east',
    createdAtMs: -400 * DAY_MS,
    lastActiveAtMs: -DAY_MS,
    uploads: 3,
    followers: 50,
    ...overrides,
  }
}
