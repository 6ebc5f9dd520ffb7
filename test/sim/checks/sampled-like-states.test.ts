// Final like states read on a sample of the pairs (a target without liked lists, past the
// read-back bound): the like checks judge the sampled pairs alone. A lost like inside the sample
// fails no-lost-likes; one outside it is unknown, never reported lost; counts are still judged.
import { describe, expect, it } from 'vitest'
import { checkConvergence } from '../../../sim/checks/convergence.ts'
import { checkLastIntent } from '../../../sim/checks/last-intent.ts'
import { checkNoDoubleCount } from '../../../sim/checks/no-double-count.ts'
import { checkNoLostLikes } from '../../../sim/checks/no-lost-likes.ts'
import type { CheckContext } from '../../../sim/checks/check-types.ts'
import { pairUserOf, pairVideoOf, type FinalSnapshot, type RegionFinal } from '../../../sim/history.ts'
import { samplePairs } from '../../../sim/pair-sample.ts'
import { Rng } from '../../../sim/rng.ts'
import { run } from '../../helpers/runs.ts'
import { contextOf, copyHistory } from './context.ts'

const outcome = run('baseline', { scale: 0.05 })
const simFinal = outcome.history.final as FinalSnapshot
const base = contextOf(outcome)
const atMs = simFinal.atMs
const allPairs = Array.from({ length: base.pairs.pairCount }, (_, index) => base.pairs.pairKeyOf(index))
const standing = allPairs.filter((_, index) => base.pairs.mustBeLiked(index, atMs, atMs))
/** A standing like the sample holds, and one it leaves out. */
const inside = standing[0] as number
const outside = standing[1] as number
const drawn = new Set(samplePairs(allPairs, { sizeMax: Math.floor(allPairs.length / 2), random: new Rng(3).stream('test-sample') }))
const sample = new Set([...drawn, inside].filter((pair) => pair !== outside))
const SAMPLED = `on a sample of ${sample.size} of ${allPairs.length} pairs`

/**
 * The robust run's final state as a target without liked lists would have given it, past the
 * read-back bound: each region's like states read on the sample only; `edit` changes region 0.
 */
function sampledContext(edit: (region: RegionFinal & { likedPairs: Set<number>; likeCount: Int32Array }) => void = () => {}): CheckContext {
  const history = copyHistory(outcome.history)
  const regions = simFinal.regions.map((region) => ({
    ...region,
    likeCount: region.likeCount.slice(),
    likedPairs: new Set([...region.likedPairs].filter((pair) => sample.has(pair))),
    likeSample: { pairs: sample, of: allPairs.length },
  }))
  edit(regions[0] as (typeof regions)[number])
  history.final = { ...simFinal, regions }
  return contextOf(outcome, { history })
}

describe('like checks on final like states read on a sample of the pairs', () => {
  it('pass on the robust run, saying on how many pairs: no pair outside the sample is taken for not liked', () => {
    expect(standing.length).toBeGreaterThan(10)
    expect(sample.size).toBeLessThan(allPairs.length)
    const ctx = sampledContext()
    for (const check of [checkNoLostLikes, checkLastIntent, checkConvergence, checkNoDoubleCount]) {
      const result = check(ctx)
      expect(result.status, `${result.name}: ${result.observed}`).toBe('pass')
      expect(result.observed).toContain(SAMPLED)
    }
    expect(checkNoDoubleCount(ctx).observed).toContain('judged from counts alone')
  })

  it('fail no-lost-likes for a like lost inside the sample, and report none outside it', () => {
    const result = checkNoLostLikes(sampledContext((region) => region.likedPairs.delete(inside)))
    expect(result.status).toBe('fail')
    // outside's like is in no region's like states either: unknown, not lost.
    expect(result.values['missingLikes']).toBe(1)
    expect(result.examples[0]?.userId).toBe(outcome.population.userIds.get(pairUserOf(inside)))
    expect(result.examples[0]?.videoId).toBe(outcome.population.videoIds.get(pairVideoOf(inside)))
    expect(result.examples[0]?.region).toBe(simFinal.regions[0]?.region)
    expect(result.observed).toContain(SAMPLED)
  })

  it('still fail no-double-count for a count above the likes that can stand', () => {
    const video = pairVideoOf(inside)
    const possible = base.pairs.bounds(video, atMs, atMs)[1]
    const result = checkNoDoubleCount(sampledContext((region) => void (region.likeCount[video] = possible + 1)))
    expect(result.status).toBe('fail')
    expect(result.examples[0]?.message).toContain(`counts ${possible + 1} likes in ${simFinal.regions[0]?.region} but at most ${possible} can stand`)
  })

  it('compare likes between regions only on the pairs both read (convergence)', () => {
    const result = checkConvergence(
      sampledContext((region) => {
        region.likedPairs.delete(inside)
        ;(region as { likeSample?: unknown }).likeSample = { pairs: new Set([...sample].filter((pair) => pair !== inside)), of: allPairs.length }
      }),
    )
    expect(result.status, result.observed).toBe('pass')
    expect(result.values['differingLikes']).toBe(0)
  })
})
