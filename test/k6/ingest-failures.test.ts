// The checkers judge a k6 run as they judge any run: a like lost by the system fails no-lost-likes
// with the like as example, whether the loss is planted in the final reads of the output or made
// by a system that acknowledges likes without storing them; an overload emulated on the server is
// judged against the capacity the server then had.
import { describe, expect, it } from 'vitest'
import { ingestK6 } from '../../scenarios/k6/ingest.ts'
import type { RunResult } from '../../result/result.ts'
import { exported, scratchDir } from './helpers/exports.ts'
import { fakeK6Run } from './helpers/fake-k6-run.ts'

function check(result: RunResult, name: string): RunResult['checks'][number] {
  const found = result.checks.find((c) => c.name === name)
  if (found === undefined) throw new Error(`check ${name} did not run`)
  return found
}

describe('ingest-k6 verdicts', () => {
  it('fails no-lost-likes on a like planted as lost in the final reads, naming it', async () => {
    const summary = exported('region-failover')
    const run = fakeK6Run({ exportDir: summary.dir, plan: summary.plan, outDir: scratchDir('planted'), plantLostLike: true, instances: 2 })
    const lost = run.lostLike
    if (lost === undefined) throw new Error('no like planted')
    const { result } = await ingestK6({ exportDir: summary.dir, outputs: run.files })
    const noLostLikes = check(result, 'no-lost-likes')
    expect(noLostLikes.status).toBe('fail')
    expect(noLostLikes.values).toMatchObject({ missingLikes: 4, undercountedVideos: 4 })
    expect(noLostLikes.examples[0]?.message).toMatch(new RegExp(`^like by ${lost.userId} on ${lost.videoId}, acknowledged at \\d+\\.\\d{3}s, is missing in us-east( — .*)?$`))
    expect(noLostLikes.examples[0]).toMatchObject({ userId: lost.userId, videoId: lost.videoId })
    expect(result.passed).toBe(false)
  })

  it('fails no-lost-likes when the system acknowledges likes it does not store (broken-lost-likes)', async () => {
    const summary = exported('baseline')
    const run = fakeK6Run({ exportDir: summary.dir, plan: summary.plan, outDir: scratchDir('broken'), strategy: 'broken-lost-likes' })
    const { result } = await ingestK6({ exportDir: summary.dir, outputs: run.files })
    const noLostLikes = check(result, 'no-lost-likes')
    expect(noLostLikes.status).toBe('fail')
    expect(noLostLikes.examples.length).toBeGreaterThan(0)
    expect(noLostLikes.examples[0]?.message).toMatch(/^like by u_\w+ on v_\w+, acknowledged at .* is missing in /)
  })

  it('judges goodput under an overload emulated on the server against the capacity it left (robust passes)', async () => {
    const summary = exported('overload-virginia')
    const run = fakeK6Run({ exportDir: summary.dir, plan: summary.plan, outDir: scratchDir('overload') })
    const { result } = await ingestK6({ exportDir: summary.dir, outputs: run.files })
    const goodput = check(result, 'goodput')
    expect(goodput.values['capacityRps']).toBeCloseTo(40 / 3.5, 6)
    expect(goodput.status).toBe('pass')
    expect(result.checks.filter((c) => c.kind === 'invariant' && c.status === 'fail').map((c) => c.name)).toEqual([])
    expect(result.metrics.errors['LS_CORE_OVERLOADED']).toBeGreaterThan(0)
    expect(result.config.capacityRps['us-east']).toBe(40)
  })
})
