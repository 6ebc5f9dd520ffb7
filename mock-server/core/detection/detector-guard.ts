// The guard around a user's detector (--detector): what the module does wrong during a run is its
// failure, reported by the purge that needed it, never a crash of the harness and never a purge
// that silently removed nobody. An event handler that throws stops the detector (its state is
// unknown from then on): it receives nothing more, and the next purge reports the fault. A score
// that throws, or that is malformed (an unknown account, a score that is not a finite number,
// reasons that are not a short list of short strings), is reported by that purge.
import type { Steps } from '../work-slice.ts'
import type { AccountDetector, AccountScore, DetectorAccount, DetectorLike, DetectorModule, DetectorUnlike, DetectorView, ScoreOutcome, ScoreRequest } from './detector-module.ts'

/** A detector that failed: the purge that asked it reports this, with the message, and removes nobody. */
export class DetectorFault extends Error {
  readonly code = 'LS_DETECTOR_FAILED'
}

/** Bounds on one account's reasons: result.json lists them. */
const REASONS_MAX = 16
const REASON_CHARS_MAX = 64

export function guardDetectorModule(module: DetectorModule): DetectorModule {
  return { ...module, create: (settings) => new GuardedDetector(module.name, module.create(settings)) }
}

class GuardedDetector implements AccountDetector {
  private fault: string | undefined
  private accounts = 0

  constructor(
    private readonly name: string,
    private readonly inner: AccountDetector,
  ) {}

  account(account: DetectorAccount): void {
    if (account.user >= this.accounts) this.accounts = account.user + 1
    this.call('account', account.createdAtMs, () => this.inner.account(account))
  }

  like(event: DetectorLike): void {
    this.call('like', event.atMs, () => this.inner.like(event))
  }

  unlike(event: DetectorUnlike): void {
    this.call('unlike', event.atMs, () => this.inner.unlike(event))
  }

  view(event: DetectorView): void {
    this.call('view', event.atMs, () => this.inner.view(event))
  }

  /** The inner detector is asked now (over the events so far); its steps, if any, run as the purge steps them. */
  score(request: ScoreRequest): Steps<readonly AccountScore[]> {
    if (this.fault !== undefined) return failing(new DetectorFault(this.fault))
    try {
      return this.checked(this.inner.score(request))
    } catch (error) {
      return failing(new DetectorFault(`detector ${this.name}: score() threw ${describe(error)}`))
    }
  }

  private *checked(outcome: ScoreOutcome): Steps<readonly AccountScore[]> {
    let scores: readonly AccountScore[]
    try {
      scores = isSteps(outcome) ? yield* outcome : outcome
    } catch (error) {
      throw new DetectorFault(`detector ${this.name}: score() threw ${describe(error)}`)
    }
    const problem = scoresProblem(scores, this.accounts)
    if (problem !== undefined) throw new DetectorFault(`detector ${this.name}: score() returned ${problem}`)
    return scores
  }

  private call(name: string, atMs: number, handle: () => void): void {
    if (this.fault !== undefined) return
    try {
      handle()
    } catch (error) {
      this.fault = `detector ${this.name}: ${name}() threw ${describe(error)} at ${(atMs / 1000).toFixed(3)} s; it received no event after that`
    }
  }
}

/** Steps that fail at their first step (the purge reports the fault). */
function* failing(error: DetectorFault): Steps<readonly AccountScore[]> {
  throw error
}

function isSteps(outcome: unknown): outcome is Steps<readonly AccountScore[]> {
  return typeof outcome === 'object' && outcome !== null && typeof (outcome as { next?: unknown }).next === 'function' && !Array.isArray(outcome)
}

/** What is wrong with a detector's scores, or undefined. */
function scoresProblem(scores: unknown, accounts: number): string | undefined {
  if (!Array.isArray(scores)) return `${scores === null ? 'null' : typeof scores}, not an array of { user, score, reasons }`
  const seen = new Set<number>()
  for (const [index, entry] of scores.entries()) {
    const at = `entry ${index}`
    if (typeof entry !== 'object' || entry === null) return `${at}: not an object`
    const { user, score, reasons } = entry as Partial<AccountScore>
    if (!Number.isInteger(user) || (user as number) < 0 || (user as number) >= accounts) return `${at}: user ${JSON.stringify(user)} is no account the platform registered`
    if (seen.has(user as number)) return `${at}: user ${user} scored twice`
    seen.add(user as number)
    if (typeof score !== 'number' || !Number.isFinite(score)) return `${at}: score ${typeof score === 'number' ? String(score) : JSON.stringify(score)} is not a finite number`
    if (!Array.isArray(reasons) || reasons.length > REASONS_MAX || reasons.some((r) => typeof r !== 'string' || r.length > REASON_CHARS_MAX)) {
      return `${at}: reasons must be at most ${REASONS_MAX} strings of at most ${REASON_CHARS_MAX} characters`
    }
  }
  return undefined
}

function describe(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''
  return `${error instanceof Error ? error.name : 'a value'}: ${message}`
}
