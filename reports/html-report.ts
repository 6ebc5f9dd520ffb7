// One run as one self-contained HTML page (pure: result and inlined assets in, a string out).
// Top: verdict, expectation and the replay command. Then key figures, charts on a shared time axis
// with the fault windows, the checks (observed vs expected, examples that mark their moment on the
// charts), detection quality, metrics by operation and error code, and the configuration.
import { overrideFlags } from '../result/overrides.ts'
import type { CheckOutcome, RunResult } from '../result/result.ts'
import { buildChartModel, type ChartModel } from './chart-data.ts'
import { escapeHtml, jsonForScript } from './escape.ts'
import { formatCount, formatMs, formatRatio, formatSeconds, formatShare } from './format.ts'
import { htmlPage } from './html-page.ts'
import { keyFigures } from './key-figures.ts'
import { targetLines } from './target-lines.ts'
import type { ReportAssets } from './report-assets.ts'
import { STATUS_MARK } from './check-status.ts'
import { verdictOf } from './verdict.ts'
import { detectorHtml } from './html-detection.ts'

/** Relative links shown in the page header (each optional). */
export interface HtmlReportLinks {
  readonly index?: string
  readonly result?: string
  readonly markdown?: string
  readonly junit?: string
}

const e = escapeHtml

/** Examples listed open under a failing check; the rest (up to the result's 10) one click away. */
const EXAMPLES_SHOWN = 3

export function renderHtmlReport(result: RunResult, assets: ReportAssets, links: HtmlReportLinks = {}): string {
  const model = buildChartModel(result)
  const verdict = verdictOf(result)
  const body = [
    '<main>',
    navigation(links),
    header(result),
    figures(result),
    chartsSection(model),
    checksSection(result),
    detectionSection(result),
    metricsSection(result),
    faultsSection(result),
    configSection(result),
    `<footer>Rendered by likestorm ${e(result.tool.version)} from result.json alone (schema version ${result.schemaVersion}); rebuild it with <code>npx likestorm report &lt;result.json&gt;</code>. Drag across a chart to zoom all of them, double-click to reset.</footer>`,
    '</main>',
  ].join('\n')
  return htmlPage({
    title: `${verdict.label} · ${result.scenario.name} · ${result.strategy.name} · LikeStorm`,
    styles: [assets.uplotCss, assets.css],
    body,
    data: { id: 'likestorm-charts', json: jsonForScript(model) },
    scripts: [assets.uplotJs, assets.clientJs],
  })
}

function navigation(links: HtmlReportLinks): string {
  const items: string[] = []
  if (links.index !== undefined) items.push(`<a href="${e(links.index)}">← all runs</a>`)
  if (links.result !== undefined) items.push(`<a href="${e(links.result)}">result.json</a>`)
  if (links.markdown !== undefined) items.push(`<a href="${e(links.markdown)}">summary.md</a>`)
  if (links.junit !== undefined) items.push(`<a href="${e(links.junit)}">junit.xml</a>`)
  return items.length === 0 ? '' : `<nav class="nav">${items.join('')}</nav>`
}

function header(result: RunResult): string {
  const verdict = verdictOf(result)
  const cls = verdict.verdict
  const meta = [
    `strategy <b>${e(result.strategy.name)}</b>`,
    `seed <b>${result.seed}</b>`,
    `scale <b>${result.scale}</b>`,
    `mode <b>${e(result.mode)}</b>`,
    `${result.config.durationS} s${result.mode === 'sim' ? ' virtual' : ''}`,
    ...(result.config.overrides === undefined ? [] : [`<code>${e(overrideFlags(result.config.overrides))}</code>`]),
    `likestorm ${e(result.tool.version)}`,
  ]
  const expectation =
    verdict.matched === null ? '' : `<div class="expectation ${verdict.matched ? 'matched' : 'unmatched'}">${e(verdict.expectation)}</div>`
  const interrupted = result.interrupted ? `<div class="warning">Stopped early: ${e(result.stoppedBy?.detail ?? 'the run did not reach its end')}; checks judged what ran.</div>` : ''
  const inconclusive =
    verdict.inconclusiveChecks.length === 0 ? '' : `<div class="warning">Inconclusive: the harness could not judge ${e(verdict.inconclusiveChecks.join(', '))}; each check below says why.</div>`
  return `<header class="verdict-bar ${cls}" id="verdict">
<span class="badge ${cls}" data-verdict="${verdict.label}">${verdict.label}</span>
<div style="flex:1;min-width:320px">
<h1>${e(result.scenario.name)} <span class="muted" style="font-weight:400">· ${e(result.scenario.title)}</span></h1>
<div class="meta">${meta.map((m) => `<span>${m}</span>`).join('')}</div>
</div>
</header>
${expectation}${interrupted}${inconclusive}
<div class="replay"><span class="muted">Replay:</span><code id="replay-command">${e(result.replay)}</code><button type="button" data-action="copy-replay">Copy</button></div>
<p class="summary-text">${e(result.scenario.summary)} <i>Strategy ${e(result.strategy.name)}: ${e(result.strategy.description)}</i></p>`
}

function figures(result: RunResult): string {
  const cards = keyFigures(result).map(
    (f) => `<div class="figure${f.bad ? ' bad' : ''}"><div class="label">${e(f.label)}</div><div class="value">${e(f.value)}</div><div class="sub">${e(f.sub)}</div></div>`,
  )
  const faults = result.faults.map((f) => `<span class="fault-chip">${e(f.description)}${f.skipped === undefined ? '' : ` (skipped: ${e(f.skipped)})`}</span>`)
  return `<section class="figures">${cards.join('')}</section>${faults.length === 0 ? '' : `<div class="faults"><span class="muted">Faults:</span>${faults.join('')}</div>`}`
}

function chartsSection(model: ChartModel): string {
  const cards = model.charts.map(
    (chart) => `<div class="chart-card" data-chart="${e(chart.id)}"${chart.videoId === undefined ? '' : ` data-video-chart="${e(chart.videoId)}"`}>
<h3>${e(chart.title)}</h3>
<p class="caption">${e(chart.caption)}</p>
<div class="chart-plot"></div>
</div>`,
  )
  return `<section id="charts">
<div class="chart-toolbar"><h2>Over time</h2><span class="muted">Shaded: fault windows · purple lines: purges · drag to zoom every chart, double-click or <button type="button" data-action="reset-zoom">reset</button></span></div>
<div class="chart-grid">
${cards.join('\n')}
</div>
</section>`
}

function checksSection(result: RunResult): string {
  const rows = result.checks.map((check) => checkRow(check, result))
  return `<section id="checks">
<h2>Checks</h2>
<div class="checks">
<div class="check-head"><span></span><span>check</span><span>observed</span><span>expected</span></div>
${rows.join('\n')}
</div>
</section>`
}

function checkRow(check: CheckOutcome, result: RunResult): string {
  const cls = check.status
  const open = check.status === 'fail' || check.status === 'inconclusive'
  const hotVideos = new Set(result.timeseries.hotVideos.map((v) => v.videoId))
  const values = Object.entries(check.values).map(([key, value]) => `<span class="value-chip">${e(key)} = ${value === null ? 'n/a' : e(String(value))}</span>`)
  const examples = check.examples.map((example, i) => {
    const fields: string[] = []
    if (example.videoId !== undefined) fields.push(`<span>video <code>${e(example.videoId)}</code>${hotVideos.has(example.videoId) ? ' (charted)' : ''}</span>`)
    if (example.userId !== undefined) fields.push(`<span>user <code>${e(example.userId)}</code></span>`)
    if (example.region !== undefined) fields.push(`<span>region <code>${e(example.region)}</code></span>`)
    if (example.atMs !== undefined) {
      const atS = Math.round(example.atMs) / 1000
      const label = `${check.name} e.g. ${i + 1} @ ${atS.toFixed(1)}s`
      fields.push(`<span>at <code>${atS.toFixed(3)} s</code></span>`)
      fields.push(
        `<button type="button" data-action="show-example" data-at-s="${atS}" data-label="${e(label)}"${example.videoId === undefined ? '' : ` data-video="${e(example.videoId)}"`}>Show on the charts</button>`,
      )
    }
    return `<details class="example"><summary>${e(example.message)}</summary><div class="example-fields">${fields.join('') || '<span class="muted">no further detail</span>'}</div></details>`
  })
  const shown = examples.slice(0, EXAMPLES_SHOWN).join('')
  const hidden = examples.length > EXAMPLES_SHOWN ? `<details class="more-examples"><summary>${examples.length - EXAMPLES_SHOWN} more example(s)</summary>${examples.slice(EXAMPLES_SHOWN).join('')}</details>` : ''
  const more = check.examples.length === 0 ? (check.status === 'fail' ? '<p class="muted">No examples recorded.</p>' : '') : `<p class="muted" style="margin:8px 0 2px">Examples (click one for its details and its moment on the charts):</p>${shown}${hidden}`
  return `<details class="check ${cls}" data-check="${e(check.name)}"${open ? ' open' : ''}>
<summary><span class="status ${cls}">${STATUS_MARK[check.status]}</span><span class="check-name">${e(check.name)}<span class="kind">${e(check.kind)}</span></span><span>${e(check.observed)}</span><span class="muted">${e(check.expected)}</span></summary>
<div class="check-body"><div class="values">${values.join('')}</div>${more}</div>
</details>`
}

/** Account kinds that are bots (a bot purge of them is right). */
const BOT_KINDS = new Set(['careless', 'stealthy', 'flood'])
const KIND_ORDER = ['genuine', 'careless', 'stealthy', 'flood', 'inactive']

type ConfusionRow = NonNullable<RunResult['detection']>['confusion']['genuine']

/** Confusion rows in a fixed reading order: people first, then the farm kinds, then idle accounts; unknown kinds last. */
function confusionRows(confusion: Readonly<Record<string, ConfusionRow>>): [string, ConfusionRow][] {
  const rank = (kind: string): number => (KIND_ORDER.includes(kind) ? KIND_ORDER.indexOf(kind) : KIND_ORDER.length)
  return Object.entries(confusion).sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : 1))
}

function detectionSection(result: RunResult): string {
  const d = result.detection
  if (d === null) return ''
  const rows = confusionRows(d.confusion).map(([kind, row]) => {
    const total = row.botPurge + row.inactivePurge + row.kept
    const isBot = BOT_KINDS.has(kind)
    // A bot purged by the bot purge, or an idle account by the inactive purge, is right; a genuine user purged is the costly mistake.
    const cell = (value: number, right: boolean): string => `<td class="${value === 0 ? '' : right ? 'good' : 'bad'}">${formatCount(value)}</td>`
    return `<tr><td>${e(kind)}</td>${cell(row.botPurge, isBot)}${cell(row.inactivePurge, kind === 'inactive')}<td>${formatCount(row.kept)}</td><td>${formatCount(total)}</td></tr>`
  })
  const kinds: [string, typeof d.inactive][] = Object.entries(d.byFarmKind).map(([kind, q]) => [`${kind} farms`, q])
  if (d.inactivePurges > 0) kinds.push(['inactive accounts', d.inactive])
  const quality = kinds.map(
    ([name, q]) => `<tr><td>${name}</td><td>${formatCount(q.accounts)}</td><td>${formatCount(q.purged)}</td><td>${formatRatio(q.precision)}</td><td>${formatRatio(q.recall)}</td></tr>`,
  )
  return `<section id="detection">
<h2>Detection quality</h2>
<p class="muted">${d.botPurges} bot purge(s), ${d.inactivePurges} inactive purge(s): bot precision ${formatRatio(d.precision)}, recall ${formatRatio(d.recall)} · ${formatCount(d.likesRemoved)} likes removed, of which ${formatCount(d.genuineLikesRemoved)} genuine (${formatShare(d.genuineLikesRemovedRatio, 2)} of genuine likes) · ${formatCount(d.genuineAccountsPurged)} genuine accounts purged.</p>
<div class="tables">
<div><h3>Confusion matrix (rows: truth)</h3><table class="data" id="confusion"><thead><tr><th>account kind</th><th>bot purge</th><th>inactive purge</th><th>kept</th><th>total</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>
<div><h3>Precision and recall per kind</h3><table class="data" id="detection-quality"><thead><tr><th>kind</th><th>accounts</th><th>purged</th><th>precision</th><th>recall</th></tr></thead><tbody>${quality.join('')}</tbody></table></div>
</div>
${detectorHtml(d)}
</section>`
}

function metricsSection(result: RunResult): string {
  const m = result.metrics
  const kinds = Object.entries(m.byKind).map(
    ([kind, k]) =>
      `<tr><td>${e(kind)}</td><td>${formatCount(k.operations)}</td><td>${formatCount(k.attempts)}</td><td>${formatCount(k.ok)}</td><td>${formatCount(k.failed)}</td><td>${formatCount(k.indeterminate)}</td><td>${formatMs(k.latencyMs.p50Ms)}</td><td>${formatMs(k.latencyMs.p95Ms)}</td><td>${formatMs(k.latencyMs.p99Ms)}</td><td>${formatMs(k.latencyMs.maxMs)}</td></tr>`,
  )
  const all = `<tr><td><b>all</b></td><td><b>${formatCount(m.operations)}</b></td><td><b>${formatCount(m.attempts)}</b></td><td><b>${formatCount(m.ok)}</b></td><td><b>${formatCount(m.failed)}</b></td><td><b>${formatCount(m.indeterminate)}</b></td><td><b>${formatMs(m.latencyMs.p50Ms)}</b></td><td><b>${formatMs(m.latencyMs.p95Ms)}</b></td><td><b>${formatMs(m.latencyMs.p99Ms)}</b></td><td><b>${formatMs(m.latencyMs.maxMs)}</b></td></tr>`
  const errors = Object.entries(m.errors).sort(([, a], [, b]) => b - a)
  const errorRows = errors.length === 0 ? '<tr><td colspan="3" class="muted">no errors</td></tr>' : errors.map(([code, n]) => `<tr><td><code>${e(code)}</code></td><td>${formatCount(n)}</td><td>${formatShare(m.attempts > 0 ? n / m.attempts : null, 2)}</td></tr>`).join('')
  const system = Object.entries(m.system).map(([key, value]) => `<tr><td>${e(key)}</td><td>${formatCount(value)}</td></tr>`)
  return `<section id="metrics">
<h2>Operations and errors</h2>
<div class="tables">
<div><table class="data" id="by-kind"><thead><tr><th>operation</th><th>operations</th><th>attempts</th><th>ok</th><th>failed</th><th>timed out</th><th>p50</th><th>p95</th><th>p99</th><th>max</th></tr></thead><tbody>${kinds.join('')}${all}</tbody></table></div>
<div><table class="data" id="errors"><thead><tr><th>error code</th><th>attempts</th><th>share</th></tr></thead><tbody>${errorRows}</tbody></table></div>
<div><table class="data" id="system"><thead><tr><th>system counter</th><th>value</th></tr></thead><tbody>${system.join('')}</tbody></table></div>
</div>
<p class="muted">${formatCount(m.retries)} retries · ${formatCount(m.failovers)} failovers · ${formatCount(m.likesAcknowledged)} likes acknowledged · latency is service time of answered attempts.</p>
</section>`
}

function faultsSection(result: RunResult): string {
  if (result.faults.length === 0) return ''
  const rows = result.faults.map((f) => {
    const purge = f.purge === undefined ? '' : `${f.purge.kind} purge at ${formatSeconds(f.purge.atMs)}: ${formatCount(f.purge.accounts)} accounts, ${formatCount(f.purge.likesRemoved)} likes${f.purge.viewsRemoved === undefined ? '' : ` and ${formatCount(f.purge.viewsRemoved)} views`} removed; reasons ${Object.entries(f.purge.reasons).map(([r, n]) => `${e(r)} ${formatCount(n)}`).join(', ')}`
    return `<tr><td>${e(f.kind)}</td><td>${e(f.description)}</td><td>${formatSeconds(f.startMs)}–${formatSeconds(f.endMs)}</td><td style="text-align:left">${f.skipped === undefined ? '' : `skipped: ${e(f.skipped)}. `}${purge}</td></tr>`
  })
  return `<section id="faults"><h2>Fault timeline</h2><table class="data"><thead><tr><th>kind</th><th>fault</th><th>window</th><th style="text-align:left">outcome</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`
}

function configSection(result: RunResult): string {
  const record = (r: Readonly<Record<string, number>>): string => Object.entries(r).map(([k, v]) => `${e(k)} ${e(String(v))}`).join(' · ')
  const target = targetLines(result)
  const targetText = target.length === 0 ? '' : `<br>Target (${e(result.config.http?.target ?? '')}): ${target.map(e).join('<br>')}`
  return `<section id="config"><h2>Configuration</h2>
<p class="muted">World: ${record(result.config.world)}<br>Capacity (req/s): ${record(result.config.capacityRps)}<br>Client: ${record(result.config.client)}${targetText}</p>
<details class="config"><summary>Load profile (k6 options)</summary><pre class="json">${e(JSON.stringify(result.config.load, null, 2))}</pre></details>
</section>`
}
