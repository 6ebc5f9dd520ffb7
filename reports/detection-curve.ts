// The detector's precision-recall curve as a small inline SVG (pure: curves in, markup out), with
// the facts-only baseline's beside it and the purge's own threshold marked. Static markup rather
// than a uPlot chart: the report's charts share one time axis and this one has none, and a static
// drawing needs no script to read. Markdown gets the same curve as a table.
import type { DetectorCurve } from '../result/result.ts'
import { escapeHtml } from './escape.ts'
import { formatRatio, formatShare } from './format.ts'

const WIDTH = 360
const HEIGHT = 240
const PAD = { left: 44, right: 12, top: 12, bottom: 36 }

/** x: recall, y: precision, both 0..1. */
function position(recall: number, precision: number): [number, number] {
  const x = PAD.left + recall * (WIDTH - PAD.left - PAD.right)
  const y = HEIGHT - PAD.bottom - precision * (HEIGHT - PAD.top - PAD.bottom)
  return [Math.round(x * 10) / 10, Math.round(y * 10) / 10]
}

function line(curve: DetectorCurve, className: string): string {
  const points = curve.points.filter((p) => p.recall !== null && p.precision !== null).map((p) => position(p.recall as number, p.precision as number).join(','))
  return points.length === 0 ? '' : `<polyline class="${className}" fill="none" points="${points.join(' ')}"><title>${escapeHtml(curve.name)}</title></polyline>`
}

/** The point at the purge's threshold: the lowest threshold at or above it (what the purge flagged). */
function operatingPoint(curve: DetectorCurve): string {
  const at = curve.points.filter((p) => p.scoreMin >= curve.purgeScoreMin && p.recall !== null && p.precision !== null).at(-1)
  if (at === undefined) return ''
  const [x, y] = position(at.recall as number, at.precision as number)
  return `<circle class="operating" cx="${x}" cy="${y}" r="4"><title>${escapeHtml(curve.name)} at score ≥ ${curve.purgeScoreMin}: precision ${formatRatio(at.precision)}, recall ${formatRatio(at.recall)}</title></circle>`
}

export function curveSvg(curve: DetectorCurve, baseline: DetectorCurve | null): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1]
  const grid = ticks
    .map((t) => {
      const [x] = position(t, 0)
      const [, y] = position(0, t)
      return `<line class="grid" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y}" y2="${y}"/><line class="grid" x1="${x}" x2="${x}" y1="${PAD.top}" y2="${HEIGHT - PAD.bottom}"/><text x="${PAD.left - 6}" y="${y + 4}" text-anchor="end">${t}</text><text x="${x}" y="${HEIGHT - PAD.bottom + 14}" text-anchor="middle">${t}</text>`
    })
    .join('')
  const legend = `<text x="${PAD.left}" y="${HEIGHT - 4}">recall →   ━ ${escapeHtml(curve.name)}${baseline === null ? '' : `   ┅ ${escapeHtml(baseline.name)} (baseline)`}   ● purge threshold</text>`
  return `<svg class="pr-curve" id="detection-curve" role="img" aria-label="precision-recall curve of ${escapeHtml(curve.name)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" xmlns="http://www.w3.org/2000/svg">
<style>.pr-curve text{font:10px sans-serif;fill:#666}.pr-curve .grid{stroke:#ddd}.pr-curve .detector{stroke:#2563eb;stroke-width:2}.pr-curve .baseline{stroke:#9ca3af;stroke-width:2;stroke-dasharray:4 3}.pr-curve .operating{fill:#2563eb}</style>
${grid}<text transform="translate(12 ${PAD.top + 70}) rotate(-90)">precision ↑</text>
${baseline === null ? '' : line(baseline, 'baseline')}${line(curve, 'detector')}${operatingPoint(curve)}
${legend}
</svg>`
}

/** The curve as Markdown table rows (threshold, flagged, precision, recall, genuine FPR). */
export function curveTable(curve: DetectorCurve): string[] {
  const rows = ['| score ≥ | flagged | precision | recall | genuine FPR |', '| --: | --: | --: | --: | --: |']
  for (const p of curve.points) rows.push(`| ${p.scoreMin}${p.scoreMin === curve.purgeScoreMin ? ' (purge)' : ''} | ${p.flagged} | ${formatRatio(p.precision)} | ${formatRatio(p.recall)} | ${formatShare(p.genuineFpr, 2)} |`)
  return rows
}
