// Request deadlines, as gRPC's: a client attempt may say how long it will wait for its answer
// (header X-LikeStorm-Deadline-Ms: the milliseconds left in its budget for this attempt when it
// sent it, a whole number; relative, so the two clocks need not agree). An attempt whose client
// will have given up before its answer could reach it is not served at all: executing it would
// apply a write nobody waits for, which the client's retry may apply again once its key is gone.
// The server counts from when it received the request (it cannot see the time before that: the
// network, or a socket queue while its event loop was busy).

export const DEADLINE_HEADER = 'x-likestorm-deadline-ms'
/** Longer budgets than a day are refused as nonsense rather than honoured. */
export const DEADLINE_MS_MAX = 86_400_000

const WHOLE_MS = /^[0-9]{1,8}$/

export type DeadlineHeader = { readonly ok: true; readonly deadlineMs: number | undefined } | { readonly ok: false; readonly detail: string }

/** The header's budget (undefined when absent), or why it is not one. */
export function parseDeadline(value: string | string[] | undefined): DeadlineHeader {
  if (value === undefined) return { ok: true, deadlineMs: undefined }
  const text = Array.isArray(value) ? value.join(', ') : value
  const deadlineMs = WHOLE_MS.test(text) ? Number(text) : Number.NaN
  if (!(deadlineMs <= DEADLINE_MS_MAX)) return { ok: false, detail: `got ${JSON.stringify(text.slice(0, 32))}` }
  return { ok: true, deadlineMs }
}

/**
 * Whether the client will have given up before the answer reaches it: the time since the request
 * arrived plus the wait the reply would be held for (both wall ms) is past its budget.
 */
export function deadlinePassed({ deadlineMs, elapsedMs, waitMs }: { deadlineMs: number | undefined; elapsedMs: number; waitMs: number }): boolean {
  return deadlineMs !== undefined && elapsedMs + waitMs > deadlineMs
}
