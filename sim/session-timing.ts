// When the steps of a genuine session come (sim/traffic.ts draws them within these bounds).

/**
 * A genuine session's timing, ms: the view is reported once playback has run a moment; the like
 * comes mid-watch, at least likeAfterViewMin after the view; the follow-ups (a second device's tap,
 * reading one's own like back, re-reading the counts, an unlike) each within their [min, max].
 */
export const SESSION_MS = {
  viewAfterPlayMax: 1500,
  viewReport: 100,
  likeAfterViewMin: 200,
  likeAfterViewSpanMin: 400,
  likeBeforeEnd: 1500,
  secondTap: [50, 1500],
  readBack: [500, 5000],
  reread: [300, 3000],
  unlike: [3000, 60_000],
  flapReadBack: [1000, 3000],
} as const satisfies Record<string, number | readonly [number, number]>
