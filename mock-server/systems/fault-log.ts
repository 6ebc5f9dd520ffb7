// What the guard around a user's system (guard.ts) saw go wrong: every call that threw or answered
// malformed, counted by the call's name, with the first few kept as examples (the call, its region,
// the environment's time, the video when the call had one, and what was wrong) — a few of each
// call, so that a frequent fault does not hide a rarer one. Bounded: counts and at most
// FAULT_EXAMPLES_MAX examples, however often the system misbehaves.

/** Examples kept; the count goes on. */
export const FAULT_EXAMPLES_MAX = 10
/** Examples kept of one call (like, onTick, …). */
const EXAMPLES_PER_CALL_MAX = 3
/** Characters of a thrown error's message kept in an example. */
const PROBLEM_CHARS_MAX = 240

/** One call into the system that threw or answered malformed. */
export interface SystemFault {
  /** The interface method: like, view, onMessage, observe, … */
  readonly call: string
  /** The region's id ('' for a call about no region: seedLike, purgeAccount, counters, …). */
  readonly region: string
  /** The environment's time of the call, ms. */
  readonly atMs: number
  /** The request's video id, when it named one the directory knows. */
  readonly videoId?: string
  /** What was wrong: "threw TypeError: …", "ok with error code …", "likeCount NaN …". */
  readonly problem: string
}

export interface SystemFaultReport {
  /** Calls that threw or answered malformed, requests and background calls alike. */
  readonly count: number
  readonly byCall: Readonly<Record<string, number>>
  readonly examples: readonly SystemFault[]
}

export class SystemFaultLog {
  private total = 0
  private readonly calls = new Map<string, number>()
  private readonly kept: SystemFault[] = []

  record(fault: SystemFault): void {
    this.total++
    const ofCall = (this.calls.get(fault.call) ?? 0) + 1
    this.calls.set(fault.call, ofCall)
    // Before the first request the environment's clock has not started (-Infinity): such a call is at 0.
    if (this.kept.length < FAULT_EXAMPLES_MAX && ofCall <= EXAMPLES_PER_CALL_MAX) this.kept.push({ ...fault, atMs: Number.isFinite(fault.atMs) ? fault.atMs : 0, problem: clip(fault.problem) })
  }

  get count(): number {
    return this.total
  }

  report(): SystemFaultReport {
    return { count: this.total, byCall: Object.fromEntries([...this.calls].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), examples: [...this.kept] }
  }
}

/** A thrown value in one line: its class and message (a stack would name our files, not the fault). */
export function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return `threw ${thrown.name}: ${(thrown.message.split('\n')[0] ?? '').trim()}`
  return `threw ${typeof thrown === 'string' ? JSON.stringify(thrown) : String(thrown)}`
}

function clip(text: string): string {
  return text.length <= PROBLEM_CHARS_MAX ? text : `${text.slice(0, PROBLEM_CHARS_MAX - 1)}…`
}
