// Whom the final reads ask, in every mode: the users who may hold a like (one who sent a like that
// did not surely fail, or who imported one) and the creators of videos with such a like.
import type { History } from './history.ts'

export interface FinalReadSubjects {
  /** Users whose liked lists are read, ascending. */
  readonly likers: number[]
  /** Creators whose inboxes are read, ascending. */
  readonly creators: number[]
}

export function finalReadSubjects(
  history: History,
  { importedLikes, videoCreator }: { importedLikes: Iterable<{ readonly user: number }>; videoCreator: Int32Array },
): FinalReadSubjects {
  const likers = new Set<number>()
  const creators = new Set<number>()
  for (const like of importedLikes) likers.add(like.user)
  for (let i = 0; i < history.length; i++) {
    if (!history.mayHaveLiked(i)) continue
    likers.add(history.userOf(i))
    creators.add(videoCreator[history.videoOf(i)] ?? -1)
  }
  return { likers: [...likers].sort((a, b) => a - b), creators: [...creators].sort((a, b) => a - b) }
}
