// k6's JSON output format, line for line, as `k6 run --out json=FILE` writes it
// (https://grafana.com/docs/k6/latest/results-output/real-time/json/):
//   {"type":"Metric","data":{"type":"trend","contains":"time","thresholds":[],"submetrics":null},"metric":"http_req_duration"}
//   {"type":"Point","data":{"time":"2024-05-01T12:00:01.25Z","value":12.5,"tags":{…}},"metric":"http_req_duration"}
// A metric is declared by one Metric line before its first Point; times are RFC 3339 with up to
// nanoseconds (Go's RFC3339Nano: trailing zeros dropped); tags are strings (or null).
import { writeFileSync } from 'node:fs'

/** Wall time of the fake run's start. */
export const RUN_EPOCH_MS = Date.UTC(2024, 4, 1, 12, 0, 0)

export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend'

/** RFC 3339 with nanoseconds, trailing zeros dropped, as Go's time.RFC3339Nano prints UTC. */
export function k6Time(epochMs: number): string {
  const whole = Math.floor(epochMs)
  const nanos = Math.round((epochMs - whole) * 1e6)
  const iso = new Date(whole).toISOString() // 2024-05-01T12:00:00.123Z
  const fraction = `${iso.slice(20, 23)}${String(nanos).padStart(6, '0')}`.replace(/0+$/, '')
  return `${iso.slice(0, 19)}${fraction === '' ? '' : `.${fraction}`}Z`
}

export function metricLine(metric: string, type: MetricType, contains: 'default' | 'time'): string {
  return JSON.stringify({ type: 'Metric', data: { type, contains, thresholds: [], submetrics: null }, metric })
}

/** A point; k6 (>= 0.45) writes "metadata" only when the point has some. */
export function pointLine(metric: string, epochMs: number, value: number, tags: Readonly<Record<string, string>> | null, metadata?: Readonly<Record<string, string>>): string {
  const data = metadata === undefined || Object.keys(metadata).length === 0 ? { time: k6Time(epochMs), value, tags } : { time: k6Time(epochMs), value, tags, metadata }
  return JSON.stringify({ type: 'Point', data, metric })
}

/** The JSON output of several k6 instances: one file each, metrics declared at first use, points by time. */
export class K6OutputWriter {
  private readonly points: Array<Array<{ readonly atMs: number; readonly metric: string; readonly type: MetricType; readonly line: string }>>

  constructor(instances: number) {
    this.points = Array.from({ length: instances }, () => [])
  }

  /** A sample at `runMs` (ms since the run's start) on an instance. */
  point(instance: number, metric: string, type: MetricType, runMs: number, value: number, tags: Readonly<Record<string, string>> | null, metadata?: Readonly<Record<string, string>>): void {
    this.points[instance]?.push({ atMs: runMs, metric, type, line: pointLine(metric, RUN_EPOCH_MS + runMs, value, tags, metadata) })
  }

  write(paths: readonly string[]): void {
    this.points.forEach((points, instance) => {
      const declared = new Set<string>()
      const lines: string[] = []
      for (const point of [...points].sort((a, b) => a.atMs - b.atMs)) {
        if (!declared.has(point.metric)) {
          declared.add(point.metric)
          lines.push(metricLine(point.metric, point.type, point.type === 'trend' ? 'time' : 'default'))
        }
        lines.push(point.line)
      }
      writeFileSync(paths[instance] as string, lines.length === 0 ? '' : `${lines.join('\n')}\n`)
    })
  }
}
