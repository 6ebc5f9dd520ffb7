// The detector's part of the HTML report's detection section: its curve over thresholds (with the
// facts-only baseline's), the figures an integrity team reads off it, what its mistakes cost, time
// to detection, precision per reason and each farm's recall and cost. Absent from results written before detectors were plug-ins.
import type { DetectionQuality, TimeToDetection } from '../result/result.ts'
import { curveSvg } from './detection-curve.ts'
import { escapeHtml as e } from './escape.ts'
import { formatCount, formatRatio, formatShare } from './format.ts'

export function detectorHtml(d: DetectionQuality): string {
  const parts: string[] = []
  const curve = d.curve ?? null
  const baseline = d.baselines?.factsOnly ?? null
  if (curve !== null) {
    const lines = [
      `Detector <b>${e(curve.name)}</b>, purging at score ≥ ${curve.purgeScoreMin}.`,
      `Recall at a genuine false-positive rate of ${formatShare(curve.recallAtGenuineFpr.genuineFpr)}: ${formatRatio(curve.recallAtGenuineFpr.recall)}; at precision ≥ ${curve.recallAtPrecision.precision}: ${formatRatio(curve.recallAtPrecision.recall)}.`,
    ]
    if (baseline !== null) {
      lines.push(
        `Facts-only baseline on the same events (score ≥ ${baseline.purgeScoreMin}): precision ${formatRatio(baseline.precision)}, recall ${formatRatio(baseline.recall)} (careless ${formatRatio(baseline.byFarmKind.careless.recall)}, stealthy ${formatRatio(baseline.byFarmKind.stealthy.recall)}); recall at precision ≥ ${baseline.recallAtPrecision.precision}: ${formatRatio(baseline.recallAtPrecision.recall)}, at ${formatShare(baseline.recallAtGenuineFpr.genuineFpr)} genuine FPR: ${formatRatio(baseline.recallAtGenuineFpr.recall)}.`,
      )
    }
    parts.push(`<div><h3>Precision and recall over score thresholds</h3>${curveSvg(curve, baseline)}<p class="muted">${lines.join('<br>')}</p></div>`)
  }
  const cost = d.falsePositiveCost
  const ttd = d.timeToDetection
  if (cost !== undefined && ttd !== undefined) {
    const reasons = Object.entries(d.byReason ?? {}).map(([reason, r]) => `<tr><td>${e(reason)}</td><td>${formatCount(r.accounts)}</td><td>${formatCount(r.bots)}</td><td>${formatRatio(r.precision)}</td></tr>`)
    parts.push(`<div><h3>Cost, speed and reasons</h3><p class="muted">False positives: ${formatCount(cost.genuineAccounts)} people purged, ${formatCount(cost.genuineLikesRemoved)} of their likes removed, ${formatCount(cost.creatorsAffected)} creators affected.<br>Time to detection (first like → purge): careless ${ttdText(ttd.careless)}; stealthy ${ttdText(ttd.stealthy)}.</p>
<table class="data" id="detection-reasons"><thead><tr><th>reason</th><th>accounts purged</th><th>bots</th><th>precision</th></tr></thead><tbody>${reasons.join('')}</tbody></table></div>`)
  }
  const farms = d.byFarm ?? []
  if (farms.length > 0) {
    // Views delivered and still counted after the purges, where a purge removed views (a view farm's inflation before and after).
    const views = farms.some((f) => f.paidViewsLeft !== undefined)
    const viewCells = (f: (typeof farms)[number]): string => (views ? `<td>${formatCount(f.paidViews)}</td><td>${formatCount(f.paidViewsLeft ?? f.paidViews)}</td>` : '')
    const rows = farms.map((f) => `<tr><td>${e(f.label)}</td><td>${e(f.kind)}</td><td>${e(f.traits.join(', ') || '—')}</td><td>${formatCount(f.accounts)}</td><td>${formatCount(f.purged)}</td><td>${formatRatio(f.precision)}</td><td>${formatRatio(f.recall)}</td>${viewCells(f)}<td>$${f.costUsd.toFixed(2)}</td></tr>`)
    const viewHeads = views ? '<th>views delivered</th><th>views left after purges</th>' : ''
    parts.push(`<div><h3>Per farm</h3><table class="data" id="detection-farms"><thead><tr><th>farm</th><th>kind</th><th>traits</th><th>accounts</th><th>purged</th><th>precision</th><th>recall</th>${viewHeads}<th>cost (assumed prices)</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`)
  }
  return parts.length === 0 ? '' : `<div class="tables">${parts.join('\n')}</div>`
}

function ttdText(t: TimeToDetection | null): string {
  return t === null ? 'none purged' : `${t.detected} purged, p50 ${t.p50S.toFixed(0)} s, p90 ${t.p90S.toFixed(0)} s, max ${t.maxS.toFixed(0)} s`
}
