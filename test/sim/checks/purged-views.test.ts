// A purge that removes views (issue 18), as the checks see it: view-counts expects the final counts
// without the purged accounts' views when the purge's record says the system removes them, and
// fails a system that says so and keeps them, or that removes views of accounts it did not purge;
// purge-accuracy holds every removed view to an account its purge removed; the purge trace and
// result.json list them.
import { describe, expect, it } from 'vitest'
import { LIBRARY_TEST_RUN } from '../../helpers/checker-cases.ts'
import { expectValidResultFile } from '../../helpers/result-file-check.ts'
import { check, run } from '../../helpers/runs.ts'

/** Every view the bot-purge run's purges reported removing. */
function reportedViews(outcome: ReturnType<typeof run>): number {
  let views = 0
  for (const fault of outcome.history.faults) for (const count of fault.purge?.removedViews?.views ?? []) views += count
  return views
}

describe('view-counts after a purge that removes views', () => {
  it('passes robust, whose purges remove every view of the accounts they purge, and says how many it left out', () => {
    const outcome = run('bot-purge', { strategy: 'robust', ...LIBRARY_TEST_RUN })
    const verdict = check(outcome, 'view-counts')
    expect(verdict.status, verdict.observed).toBe('pass')
    expect(reportedViews(outcome)).toBeGreaterThan(0)
    // Each view the purged accounts made was acknowledged once, and the purges removed exactly those.
    expect(verdict.values['purgedViewsLeftOut']).toBe(reportedViews(outcome))
    expect(verdict.observed).toMatch(/; \d+ view\(s\) of purged accounts left out\)$/)
    expect(verdict.expected).toContain('without any view of an account a purge removed with its views')
    expect(check(outcome, 'never-zero').status).toBe('pass')
  })

  it('fails a system that says its purges remove views and keeps them, naming a purged viewer', () => {
    const verdict = check(run('bot-purge', { strategy: 'broken-purge-keeps-views', ...LIBRARY_TEST_RUN }), 'view-counts')
    expect(verdict.status).toBe('fail')
    const example = verdict.examples[0]
    expect(example?.message).toMatch(/views of accounts purged with their views still count: e\.g\. (\S+) viewed it at [\d.]+ ?s and was purged by the bot purge at [\d.]+ ?s \(its report does not list them\)$/)
    expect(example?.message).toContain(example?.userId as string)
  })

  it('fails a system whose purge removes views of accounts it did not purge, in view-counts and purge-accuracy', () => {
    const outcome = run('bot-purge', { strategy: 'broken-purge-views', ...LIBRARY_TEST_RUN })
    const counts = check(outcome, 'view-counts')
    expect(counts.status).toBe('fail')
    expect(counts.examples.some((example) => /removed (\S+)'s views of it, though it did not purge \1$/.test(example.message))).toBe(true)
    const accuracy = check(outcome, 'purge-accuracy')
    expect(accuracy.status).toBe('fail')
    expect(accuracy.observed).toMatch(/\d+ removed view record\(s\) belong to no account their purge removed/)
    expect(accuracy.examples.some((example) => /^\d+ view\(s\) by \S+ of \S+ removed by the bot purge at [\d.]+ ?s, which did not remove \S+$/.test(example.message))).toBe(true)
  })
})

describe('result.json where a purge removed views', () => {
  it('lists them in the purge trace and the fault, and each farm\'s views left, valid against the schema', () => {
    const outcome = run('bot-purge', { strategy: 'robust', ...LIBRARY_TEST_RUN })
    const { result } = outcome
    const trace = result.detection?.purged
    expect(trace?.views?.length).toBeGreaterThan(0)
    expect(trace?.views?.[0]).toMatchObject({ userId: expect.any(String), videoId: expect.any(String), views: expect.any(Number), purge: 'bot' })
    const listed = (trace?.views ?? []).reduce((sum, item) => sum + item.views, 0)
    expect(listed).toBeLessThanOrEqual(reportedViews(outcome))
    expect((trace?.views?.length ?? 0) + (trace?.viewsNotListed ?? 0)).toBe(outcome.history.faults.reduce((sum, fault) => sum + (fault.purge?.removedViews?.users.length ?? 0), 0))
    expect(result.faults.reduce((sum, fault) => sum + (fault.purge?.viewsRemoved ?? 0), 0)).toBe(reportedViews(outcome))
    for (const farm of result.detection?.byFarm ?? []) expect(farm.paidViewsLeft).toBeLessThanOrEqual(farm.paidViews)
    expectValidResultFile(result)
  })
})
