// A (user, video) pair as one number, for the checkers' sets and maps of pairs.
import { WORLD_LIMITS } from './world-spec.ts'

/** A (user, video) pair as one number (world indices; users < 2^22). */
export const PAIR_USER_LIMIT = WORLD_LIMITS.accounts

export function pairOf(video: number, user: number): number {
  return video * PAIR_USER_LIMIT + user
}

export function pairVideoOf(pair: number): number {
  return Math.floor(pair / PAIR_USER_LIMIT)
}

export function pairUserOf(pair: number): number {
  return pair % PAIR_USER_LIMIT
}
