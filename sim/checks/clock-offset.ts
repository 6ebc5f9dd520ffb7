// The offset between a target's clock and ours that most of its answers agree with. Each answer
// that claims a time gives the range of offsets under which its claim holds; the true offset lies
// in every honest answer's range and within the calibration's uncertainty. The point of that
// uncertainty covered by the most ranges is the best reading of the target's clock: answers that
// exclude it disagree with most of the others whatever the offset.

import { lowerBound, upperBound } from '../sorted-search.ts'

/**
 * The offset within [-slackMs, slackMs] (slackMs may be Infinity) covered by the most ranges
 * [loMs[i], hiMs[i]]; among equals the one nearest 0 (the calibrated reading), then the lower.
 */
export function estimateOffsetMs(loMs: ArrayLike<number>, hiMs: ArrayLike<number>, slackMs: number): number {
  const los = Float64Array.from(loMs).sort()
  const his = Float64Array.from(hiMs).sort()
  // Coverage changes only at range ends, so the best point is 0, a bound of the uncertainty, or an end.
  const candidates = [0]
  if (Number.isFinite(slackMs)) candidates.push(-slackMs, slackMs)
  for (const end of [...los, ...his]) if (Number.isFinite(end) && end >= -slackMs && end <= slackMs) candidates.push(end)
  let best = 0
  let bestCover = -1
  for (const point of candidates) {
    // Ranges with lo <= point, less those that ended before it.
    const cover = upperBound(los, point) - lowerBound(his, point)
    const better = cover > bestCover || (cover === bestCover && (Math.abs(point) < Math.abs(best) || (Math.abs(point) === Math.abs(best) && point < best)))
    if (better) {
      best = point
      bestCover = cover
    }
  }
  return best
}
