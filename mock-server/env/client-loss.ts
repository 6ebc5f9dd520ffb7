// The network between the clients and each region, as far as it loses requests: the `network-loss`
// fault of the timeline. A lost request is lost on the way in (the system never sees it) or on the
// way back (the system applied it and its answer never arrives), half and half, so that the
// client's retries with the same idempotency key meet both an unapplied and an applied attempt.
// One rule for every place that enacts it: mode sim's client (on a named seeded stream), the mock
// server's listeners (on its own seeded generator) and the fault proxy in front of a --target.
// No clock and no randomness of its own: the uniform draws are handed in.

/** What becomes of one request: delivered and answered, or lost before or after the system saw it. */
export type LossFate = 'deliver' | 'lose-request' | 'lose-answer'

/** A source of uniform numbers in [0, 1). */
export type UniformDraw = () => number

/** Losses switched on at once, over a whole run: a timeline is short; the bound keeps a runaway caller from growing the table. */
const LOSSES_MAX = 1024

/**
 * The fate of one request when `lostShare` of them are lost: one draw, and a second only for a
 * lost one (which side it was lost on). Nothing is drawn when nothing is lost, so a run without
 * the fault draws nothing.
 */
export function lossFate(lostShare: number, draw: UniformDraw): LossFate {
  if (!(lostShare > 0)) return 'deliver'
  if (draw() >= lostShare) return 'deliver'
  return draw() < 0.5 ? 'lose-request' : 'lose-answer'
}

/** Two losses on one path lose independently: what gets through is the product of what each lets through. */
export function combinedLoss(shares: Iterable<number>): number {
  let kept = 1
  for (const share of shares) kept *= 1 - share
  return 1 - kept
}

/** The losses under way, per region, each under an id (a fault's label), and the fate of a request arriving at a region now. */
export class ClientLoss {
  private readonly draw: UniformDraw
  private readonly losses = new Map<string, { readonly region: string; readonly share: number }>()
  /** The combined lost share per region with a loss under way (recomputed on every switch, read on every request). */
  private readonly lostShare = new Map<string, number>()

  constructor({ draw }: { draw: UniformDraw }) {
    this.draw = draw
  }

  /** Start losing `share` of the region's requests under `id`; a second start of the same id replaces the first. */
  start(id: string, region: string, share: number): void {
    if (!(share > 0 && share <= 1)) throw new RangeError(`client loss: a share is in (0, 1], got ${share}`)
    if (!this.losses.has(id) && this.losses.size >= LOSSES_MAX) throw new RangeError(`client loss: more than ${LOSSES_MAX} losses at once`)
    this.losses.set(id, { region, share })
    this.recompute()
  }

  stop(id: string): void {
    if (this.losses.delete(id)) this.recompute()
  }

  clear(): void {
    this.losses.clear()
    this.lostShare.clear()
  }

  /** The share of the region's requests lost now (0 when none). */
  shareOf(region: string): number {
    return this.lostShare.get(region) ?? 0
  }

  /** The fate of a request arriving at the region now: no draw unless the region is losing requests. */
  fate(region: string): LossFate {
    if (this.lostShare.size === 0) return 'deliver'
    return lossFate(this.shareOf(region), this.draw)
  }

  /** The regions losing requests now and their combined share, in region order of first loss. */
  active(): Array<{ region: string; share: number }> {
    return [...this.lostShare.entries()].map(([region, share]) => ({ region, share }))
  }

  private recompute(): void {
    this.lostShare.clear()
    const byRegion = new Map<string, number[]>()
    for (const { region, share } of this.losses.values()) byRegion.set(region, [...(byRegion.get(region) ?? []), share])
    for (const [region, shares] of byRegion) this.lostShare.set(region, combinedLoss(shares))
  }
}
