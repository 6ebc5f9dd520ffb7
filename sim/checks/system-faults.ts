// system-faults: a user's system (--system) answers every call the harness makes with a well-formed
// answer and throws nowhere. The harness guards each call into the module
// (mock-server/systems/guard.ts): a request whose handler threw or wrote a malformed reply was
// answered LS_CORE_SYSTEM_FAULT (a 500, so the history holds it as a possibly applied server error,
// with the operation, its region and time), and a background call that threw (a message, a timer,
// an outage, a purge, an observation) was counted. Either is the system's failure, never the
// harness's: the run goes on and this check fails, with the calls as examples. The check runs only
// for a guarded system: the built-in ones are held to the same rules by their conformance tests.
import { OP_KIND_NAMES } from '../operation.ts'
import { type CheckContext, type CheckExample, type CheckResult, ExampleCollector, regionIdOf, seconds, statusOf, userIdOf, videoIdOf } from './check-types.ts'

export const SYSTEM_FAULT_CODE = 'LS_CORE_SYSTEM_FAULT'

export function checkSystemFaults(ctx: CheckContext): CheckResult {
  const { history } = ctx
  const expected = 'every call into the system returns a well-formed answer and throws nothing (no LS_CORE_SYSTEM_FAULT)'
  const answered = new ExampleCollector(ctx.examplesMax)
  const byKind = new Map<string, number>()
  for (let i = 0; i < history.length; i++) {
    if (history.errorCode(i) !== SYSTEM_FAULT_CODE) continue
    const kind = OP_KIND_NAMES[history.kindOf(i)] ?? 'operation'
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1)
    answered.add(() => ({
      message: `${kind} by ${userIdOf(ctx, history.userOf(i))} on ${videoIdOf(ctx, history.videoOf(i))} in ${regionIdOf(ctx, history.regionOf(i))} at ${seconds(history.invokeMsOf(i))} was answered ${SYSTEM_FAULT_CODE}`,
      userId: userIdOf(ctx, history.userOf(i)),
      videoId: videoIdOf(ctx, history.videoOf(i)),
      region: regionIdOf(ctx, history.regionOf(i)),
      atMs: history.invokeMsOf(i),
    }))
  }
  // The guard's count covers every call (the final reads and background calls too); the history's, the traffic's requests.
  const guardCount = ctx.systemFaults?.count ?? 0
  const faults = Math.max(guardCount, answered.count)
  const guardExamples = ctx.systemFaults?.examples ?? []
  // The guard's examples say what was wrong; the history's who asked.
  const examples: CheckExample[] = [...guardExamples, ...answered.examples].slice(0, ctx.examplesMax)
  const kinds = [...byKind].map(([kind, count]) => `${kind} ${count}`).join(', ')
  const parts = [
    guardCount > 0 ? `${guardCount} call${guardCount === 1 ? '' : 's'} into the system threw or answered malformed` : '',
    answered.count > 0 ? `${answered.count} request${answered.count === 1 ? ' was' : 's were'} answered ${SYSTEM_FAULT_CODE} (${kinds})` : '',
  ]
  const observed = faults === 0 ? 'no call threw or answered malformed' : parts.filter((part) => part !== '').join('; ')
  return {
    name: 'system-faults',
    status: statusOf(faults === 0),
    observed,
    expected,
    values: { systemFaults: guardCount, faultAnswers: answered.count },
    examples,
  }
}
