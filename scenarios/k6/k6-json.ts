// k6's JSON output (`k6 run --out json=FILE`, gzipped when FILE ends in .gz), read line by line
// so that a file of millions of samples never sits in memory. Each line is one JSON object:
//   {"type":"Metric","data":{"type":"trend","contains":"time",…},"metric":"http_req_duration"}
//   {"type":"Point","data":{"time":"2024-05-01T12:00:00.123456789Z","value":12.5,"tags":{…},"metadata":{…}},"metric":"…"}
// (https://grafana.com/docs/k6/latest/results-output/real-time/json/; "metadata" since k6 0.45,
// absent when a point has none). A point's tags and metadata are read as one map: the script puts
// the ids in metadata (points.ts, splitPoint), older exports put everything in tags. A line that is not one of
// these is an error naming the file and the line.
import { createReadStream } from 'node:fs'
import { access } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { k6Error } from './errors.ts'

export interface K6MetricLine {
  readonly kind: 'metric'
  readonly metric: string
  /** counter | gauge | rate | trend */
  readonly type: string
}

export interface K6PointLine {
  readonly kind: 'point'
  readonly metric: string
  /** RFC 3339 with nanoseconds, as k6 writes it. */
  readonly time: string
  readonly value: number
  /** The point's tags and metadata, merged (a key in both: the metadata's). */
  readonly tags: Readonly<Record<string, string>>
}

export type K6Line = K6MetricLine | K6PointLine

/** The line's content, undefined for a blank line; throws LS_K6_BAD_OUTPUT naming `where` (file:line). */
export function parseK6Line(text: string, where: string): K6Line | undefined {
  if (text.trim() === '') return undefined
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw k6Error('LS_K6_BAD_OUTPUT', `${where}: not a JSON line (${(error as Error).message}): ${preview(text)}`)
  }
  const bad = (why: string): never => {
    throw k6Error('LS_K6_BAD_OUTPUT', `${where}: not a k6 JSON output line (${why}): ${preview(text)}`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('not an object')
  const line = value as { type?: unknown; metric?: unknown; data?: unknown }
  if (typeof line.metric !== 'string' || line.metric === '') return bad('no "metric" name')
  if (typeof line.data !== 'object' || line.data === null) return bad('no "data" object')
  const data = line.data as { type?: unknown; time?: unknown; value?: unknown; tags?: unknown; metadata?: unknown }
  if (line.type === 'Metric') return { kind: 'metric', metric: line.metric, type: typeof data.type === 'string' ? data.type : '' }
  if (line.type !== 'Point') return bad(`"type" must be "Metric" or "Point", got ${JSON.stringify(line.type)}`)
  if (typeof data.time !== 'string' || Number.isNaN(Date.parse(data.time))) return bad('"data.time" is not an RFC 3339 time')
  if (typeof data.value !== 'number' || !Number.isFinite(data.value)) return bad('"data.value" is not a number')
  let tags: Record<string, string> = {}
  if (data.tags !== null && data.tags !== undefined) {
    if (typeof data.tags !== 'object' || Array.isArray(data.tags)) return bad('"data.tags" is not an object')
    tags = data.tags as Record<string, string>
  }
  if (data.metadata !== null && data.metadata !== undefined) {
    if (typeof data.metadata !== 'object' || Array.isArray(data.metadata)) return bad('"data.metadata" is not an object')
    tags = { ...tags, ...(data.metadata as Record<string, string>) }
  }
  return { kind: 'point', metric: line.metric, time: data.time, value: data.value, tags }
}

function preview(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text
}

/** The lines of one k6 JSON output file with their 1-based numbers, streamed. */
export async function* readK6Output(path: string): AsyncGenerator<{ readonly line: number; readonly text: string }> {
  try {
    await access(path)
  } catch (error) {
    throw k6Error('LS_K6_BAD_OUTPUT', `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  let input: Readable = createReadStream(path)
  if (path.endsWith('.gz')) input = input.pipe(createGunzip())
  const lines = createInterface({ input, crlfDelay: Infinity })
  let number = 0
  try {
    for await (const text of lines) {
      number++
      yield { line: number, text }
    }
  } catch (error) {
    throw k6Error('LS_K6_BAD_OUTPUT', `${path}:${number + 1}: cannot read past this line (${(error as Error).message})`)
  } finally {
    lines.close()
    input.destroy()
  }
}
