// The refusals of a request naming an unknown, deleted or taken-down id, in the order the checks run:
// the user first (unknown, then deleted), then the video (unknown, then taken down).
import type { DirectoryView, SystemReply } from '../system.ts'

/** Unknown, deleted or taken-down ids: writes the failure into the reply and returns true. */
export function refused(directory: DirectoryView, reply: SystemReply, user: number, video: number, latencyMs: number): boolean {
  if (user < 0) reply.fail('LS_CORE_UNKNOWN_USER', latencyMs)
  else if (directory.isDeleted(user)) reply.fail('LS_CORE_ACCOUNT_DELETED', latencyMs)
  else if (video < 0) reply.fail('LS_CORE_UNKNOWN_VIDEO', latencyMs)
  else if (directory.isTakenDown(video)) reply.fail('LS_CORE_VIDEO_UNAVAILABLE', latencyMs)
  else return false
  return true
}
