// ingest-k6 of a simulated k6 run of bot-purge (robust): the purge's report reaches the history
// through k6's output (a point per account, removed like and video's removed views, and the admin
// point saying the report had removedViews), so the checks know the system removed the purged
// accounts' views and expect the final counts without them.
import { describe, expect, it } from 'vitest'
import { ingestK6 } from '../../scenarios/k6/ingest.ts'
import { purgeEntries, purgeReportTags } from '../../scenarios/k6/read-tags.ts'
import { exported, scratchDir } from './helpers/exports.ts'
import { fakeK6Run } from './helpers/fake-k6-run.ts'

describe('a purge report through k6 output', () => {
  it('tags the admin point with the number of removed-views entries only when the report has the list', () => {
    const report = { kind: 'bot', atMs: 5, accounts: [{ userId: 'u1', reasons: ['volume'] }], removedLikes: [{ userId: 'u1', videoId: 'v1' }] }
    expect(purgeReportTags(report)).toEqual({ at: '5', accounts: '1', likes: '1' })
    expect(purgeEntries(report).views).toBeUndefined()
    const withViews = { ...report, removedViews: [{ userId: 'u1', videoId: 'v2', views: 3 }] }
    expect(purgeReportTags(withViews)).toEqual({ at: '5', accounts: '1', likes: '1', views: '1' })
    expect(purgeEntries(withViews).views).toEqual([{ userId: 'u1', videoId: 'v2', views: '3' }])
  })

  it('bot-purge on robust: the purges removed views, and the counts hold without them on the rebuilt history', async () => {
    const summary = exported('bot-purge')
    const run = fakeK6Run({ exportDir: summary.dir, plan: summary.plan, outDir: scratchDir('purge') })
    const { result } = await ingestK6({ exportDir: summary.dir, outputs: run.files })
    const purges = result.faults.filter((fault) => fault.purge !== undefined)
    expect(purges.length).toBeGreaterThan(0)
    expect(purges.reduce((sum, fault) => sum + (fault.purge?.viewsRemoved ?? 0), 0)).toBeGreaterThan(0)
    // The counts hold without the purged accounts' views (at this small scale the detector's
    // recall falls short of the scenario's target: that is detection's, not the data's).
    for (const name of ['view-counts', 'never-zero', 'no-lost-likes', 'no-double-count', 'convergence']) {
      const check = result.checks.find((c) => c.name === name)
      expect(check?.status, `${name}: ${check?.observed}`).toBe('pass')
    }
    const views = result.checks.find((check) => check.name === 'view-counts')
    expect(views?.values['purgedViewsLeftOut']).toBeGreaterThan(0)
    expect(result.checks.find((c) => c.name === 'purge-accuracy')?.observed).not.toMatch(/belong to no account/)
  })
})
