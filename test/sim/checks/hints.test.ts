// Examples name the likely cause the history shows. A like still counted after its user's
// acknowledged unlike is a lost unlike under no-double-count (it was once "liked it more than
// once", which points at retries), and last-intent names the same pair; a duplicate of an earlier
// unlike applied again is named where it makes a like flip or vanish.
import { describe, expect, it } from 'vitest'
import { checkLastIntent } from '../../../sim/checks/last-intent.ts'
import { checkNoDoubleCount } from '../../../sim/checks/no-double-count.ts'
import { checkNoFlip } from '../../../sim/checks/no-flip.ts'
import { type FinalSnapshot, type RegionFinal, pairUserOf, pairVideoOf } from '../../../sim/history.ts'
import { run } from '../../helpers/runs.ts'
import { contextOf, copyHistory } from './context.ts'

describe('hints', () => {
  it('a like that still counts after its acknowledged unlike is a lost unlike, under no-double-count and last-intent', () => {
    const outcome = run('baseline', { scale: 0.25 })
    const { population } = outcome
    const final = outcome.history.final as FinalSnapshot
    const pairs = contextOf(outcome).pairs
    const region = final.regions[0] as RegionFinal
    // A pair whose last event is its user's acknowledged unlike, and that the region rightly lists no more.
    let chosen = -1
    for (let index = 0; index < pairs.pairCount && chosen < 0; index++) {
      const last = pairs.lastEventOf(index)
      const pair = pairs.pairKeyOf(index)
      if (!pairs.isLikeEvent(last) && pairs.eventAttemptOf(last) >= 0 && Number.isFinite(pairs.eventCompleteMsOf(last)) && !region.likedPairs.has(pair) && region.readOk[pairVideoOf(pair)] === 1) chosen = index
    }
    expect(chosen).toBeGreaterThanOrEqual(0)
    const pair = pairs.pairKeyOf(chosen)
    const video = pairVideoOf(pair)
    // The region lost the unlike: the pair is listed and counted again.
    const likeCount = Int32Array.from(region.likeCount)
    likeCount[video] = (likeCount[video] as number) + 1
    const lost: RegionFinal = { ...region, likeCount, likedPairs: new Set([...region.likedPairs, pair]) }
    const history = copyHistory(outcome.history)
    history.final = { ...final, regions: [lost, ...final.regions.slice(1)] }
    const ctx = contextOf(outcome, { history })

    const doubleCount = checkNoDoubleCount(ctx)
    expect(doubleCount.status).toBe('fail')
    const example = doubleCount.examples.find((e) => e.videoId === population.videoIds.get(video))
    expect(example?.message).toMatch(new RegExp(`e\\.g\\. ${population.userIds.get(pairUserOf(pair))} unliked it \\(acknowledged at [\\d.]+s\\), yet the like still counts: a lost unlike$`))
    expect(example?.message).not.toContain('more than once')

    const lastIntent = checkLastIntent(ctx)
    expect(lastIntent.status).toBe('fail')
    expect(lastIntent.examples[0]?.message).toMatch(/is liked in us-east, but their last intent \(at [\d.]+s\) was to unlike it — .* have it right: replication lost the last intent on its way$/)
  })

  it('a duplicate of an earlier unlike applied again is named where a like flips', () => {
    const outcome = run('like-flap', { strategy: 'naive', scale: 0.25 })
    const flips = checkNoFlip(contextOf(outcome))
    expect(flips.status).toBe('fail')
    expect(flips.examples.some((e) => /a duplicate of an earlier unlike \(same key\) arrived at [\d.]+s, after the last like was sent, and was applied again instead of replayed$/.test(e.message))).toBe(true)
  })
})
