// k6 thresholds, parsed by a grammar (not matched by a regular expression) and evaluated by pure
// functions. Metric keys may carry tag filters; expressions are `aggregation operator number`:
//
//   key        := metricName ( '{' tag ( ',' tag )* '}' )?        tag := name ':' value
//   expression := aggregation operator number
//   aggregation:= 'avg' | 'min' | 'max' | 'med' | 'count' | 'rate' | 'value' | 'p(' number ')'
//   operator   := '<' | '<=' | '>' | '>=' | '==' | '===' | '!='
//
// e.g. thresholds: { 'http_req_duration{op:like}': ['p(99)<250', { threshold: 'avg<50', abortOnFail: true }] }
import { UsageError } from '../errors.ts'
import { parseDurationMs } from '../k6-duration.ts'

export type Aggregation =
  | { readonly kind: 'avg' | 'min' | 'max' | 'med' | 'count' | 'rate' | 'value' }
  | { readonly kind: 'percentile'; readonly percentile: number }

export type Operator = '<' | '<=' | '>' | '>=' | '==' | '===' | '!='

export interface ThresholdExpression {
  readonly source: string
  readonly aggregation: Aggregation
  readonly operator: Operator
  readonly value: number
}

export interface MetricKey {
  readonly source: string
  readonly metric: string
  readonly tags: Readonly<Record<string, string>>
}

export interface Threshold {
  readonly key: MetricKey
  readonly expression: ThresholdExpression
  readonly abortOnFail: boolean
  readonly delayAbortEvalMs: number
}

const NAME = /[A-Za-z_][A-Za-z0-9_.-]*/y
const TAG_VALUE = /[^,}]+/y
const NUMBER = /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y
const OPERATORS: readonly Operator[] = ['===', '==', '!=', '<=', '>=', '<', '>']
const AGGREGATIONS = ['avg', 'min', 'max', 'med', 'count', 'rate', 'value'] as const

class Cursor {
  position = 0
  constructor(readonly text: string, readonly what: string) {}

  skipSpaces(): void {
    while (this.position < this.text.length && /\s/.test(this.text[this.position] as string)) this.position++
  }

  take(pattern: RegExp): string | undefined {
    this.skipSpaces()
    pattern.lastIndex = this.position
    const match = pattern.exec(this.text)
    if (match === null) return undefined
    this.position = pattern.lastIndex
    return match[0]
  }

  literal(token: string): boolean {
    this.skipSpaces()
    if (!this.text.startsWith(token, this.position)) return false
    this.position += token.length
    return true
  }

  fail(expected: string): never {
    throw new UsageError('LS_BAD_THRESHOLD', `${this.what} ${JSON.stringify(this.text)}: expected ${expected} at position ${this.position + 1}`)
  }

  end(): void {
    this.skipSpaces()
    if (this.position !== this.text.length) this.fail('the end of the text')
  }
}

export function parseMetricKey(source: string): MetricKey {
  const cursor = new Cursor(source, 'threshold key')
  const metric = cursor.take(NAME) ?? cursor.fail('a metric name')
  const tags: Record<string, string> = {}
  if (cursor.literal('{')) {
    do {
      const name = cursor.take(NAME) ?? cursor.fail('a tag name')
      if (!cursor.literal(':')) cursor.fail("':'")
      const value = (cursor.take(TAG_VALUE) ?? cursor.fail('a tag value')).trim()
      if (value === '') cursor.fail('a tag value')
      tags[name] = value
    } while (cursor.literal(','))
    if (!cursor.literal('}')) cursor.fail("',' or '}'")
  }
  cursor.end()
  return { source, metric, tags }
}

export function parseThresholdExpression(source: string): ThresholdExpression {
  const cursor = new Cursor(source, 'threshold')
  let aggregation: Aggregation
  if (cursor.literal('p(')) {
    const number = cursor.take(NUMBER) ?? cursor.fail('a percentile')
    const percentile = Number(number)
    if (!(percentile >= 0 && percentile <= 100)) cursor.fail('a percentile from 0 to 100')
    if (!cursor.literal(')')) cursor.fail("')'")
    aggregation = { kind: 'percentile', percentile }
  } else {
    const name = cursor.take(/[a-z]+/y) ?? cursor.fail(`an aggregation (${AGGREGATIONS.join(', ')}, p(N))`)
    if (!(AGGREGATIONS as readonly string[]).includes(name)) cursor.fail(`an aggregation (${AGGREGATIONS.join(', ')}, p(N)), not ${JSON.stringify(name)}`)
    aggregation = { kind: name as (typeof AGGREGATIONS)[number] }
  }
  const operator = OPERATORS.find((op) => cursor.literal(op)) ?? cursor.fail(`an operator (${OPERATORS.join(' ')})`)
  const value = Number(cursor.take(NUMBER) ?? cursor.fail('a number'))
  cursor.end()
  return { source, aggregation, operator, value }
}

type ThresholdInput = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string }

/** Every threshold of a k6 options object, parsed; all problems are reported at once. */
export function parseThresholds(thresholds: Readonly<Record<string, readonly ThresholdInput[]>> | undefined): Threshold[] {
  const parsed: Threshold[] = []
  const problems: string[] = []
  for (const [keySource, list] of Object.entries(thresholds ?? {})) {
    let key: MetricKey
    try {
      key = parseMetricKey(keySource)
    } catch (error) {
      problems.push((error as Error).message)
      continue
    }
    for (const entry of list) {
      try {
        const text = typeof entry === 'string' ? entry : entry.threshold
        const delay = typeof entry === 'string' ? undefined : entry.delayAbortEval
        const delayAbortEvalMs = delay === undefined ? 0 : parseDurationMs(delay)
        if (delayAbortEvalMs === undefined) throw new UsageError('LS_BAD_THRESHOLD', `threshold ${JSON.stringify(text)}: delayAbortEval ${JSON.stringify(delay)} is not a duration`)
        parsed.push({ key, expression: parseThresholdExpression(text), abortOnFail: typeof entry !== 'string' && entry.abortOnFail === true, delayAbortEvalMs })
      } catch (error) {
        problems.push((error as Error).message)
      }
    }
  }
  if (problems.length > 0) throw new UsageError('LS_BAD_THRESHOLD', 'invalid thresholds', problems)
  return parsed
}

export function compare(observed: number, operator: Operator, value: number): boolean {
  switch (operator) {
    case '<':
      return observed < value
    case '<=':
      return observed <= value
    case '>':
      return observed > value
    case '>=':
      return observed >= value
    case '==':
    case '===':
      return observed === value
    case '!=':
      return observed !== value
  }
}

export function describeAggregation(aggregation: Aggregation): string {
  return aggregation.kind === 'percentile' ? `p(${aggregation.percentile})` : aggregation.kind
}
