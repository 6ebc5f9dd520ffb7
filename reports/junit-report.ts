// JUnit XML (the Ant/Jenkins format every CI reads, reports/junit/junit.xsd): one testsuite per
// run, one testcase per check, a failure carrying observed vs expected and examples (pure).
// Sim results hold no wall-clock value, so times are 0 and there is no timestamp.
import type { CheckOutcome, RunResult } from '../result/result.ts'
import { escapeXml } from './escape.ts'

/** Examples listed in a failure's text; the HTML report shows all. */
const EXAMPLES_MAX = 5

const attr = (text: string | number): string => escapeXml(String(text), { attribute: true })
const text = (value: string): string => escapeXml(value)

export function suiteName(result: RunResult): string {
  return `${result.scenario.name} [${result.strategy.name}] seed ${result.seed}`
}

export function renderJunitReport(results: readonly RunResult[]): string {
  const tests = results.reduce((sum, r) => sum + r.checks.length, 0)
  const failures = results.reduce((sum, r) => sum + countWith(r, 'fail'), 0)
  const skipped = results.reduce((sum, r) => sum + countWith(r, 'inconclusive') + countWith(r, 'not-applicable'), 0)
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="likestorm" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="0">`,
    ...results.map((result, id) => suite(result, id)),
    '</testsuites>',
    '',
  ].join('\n')
}

function suite(result: RunResult, id: number): string {
  const failures = countWith(result, 'fail')
  const skipped = countWith(result, 'inconclusive') + countWith(result, 'not-applicable')
  const properties: [string, string | number | boolean][] = [
    ['scenario', result.scenario.name],
    ['strategy', result.strategy.name],
    ['seed', result.seed],
    ['scale', result.scale],
    ['mode', result.mode],
    ['replay', result.replay],
    ['verdict', result.verdict],
    ['interrupted', result.interrupted],
    ['likestorm', result.tool.version],
  ]
  if (result.expectation !== null) properties.push(['expectation', result.expectation.matched ? 'matched' : 'not matched'])
  const classname = `likestorm.${result.scenario.name}.${result.strategy.name}`
  return [
    `  <testsuite name="${attr(suiteName(result))}" id="${id}" package="likestorm" tests="${result.checks.length}" failures="${failures}" errors="0" skipped="${skipped}" time="0">`,
    '    <properties>',
    ...properties.map(([name, value]) => `      <property name="${attr(name)}" value="${attr(String(value))}"/>`),
    '    </properties>',
    ...result.checks.map((check) => testcase(check, classname, result.replay)),
    `    <system-out>${text(`${result.scenario.title}\nreplay: ${result.replay}`)}</system-out>`,
    '  </testsuite>',
  ].join('\n')
}

function countWith(result: RunResult, status: CheckOutcome['status']): number {
  return result.checks.filter((c) => c.status === status).length
}

function testcase(check: CheckOutcome, classname: string, replay: string): string {
  const open = `    <testcase name="${attr(check.name)}" classname="${attr(classname)}" time="0">`
  if (check.status === 'pass') return `${open}\n      <system-out>${text(`observed: ${check.observed}`)}</system-out>\n    </testcase>`
  // JUnit has no "inconclusive": such a check is skipped, with the reason, so CI never counts it as passed.
  if (check.status !== 'fail') return `${open}\n      <skipped message="${attr(`${check.status}: ${check.observed}`)}"/>\n    </testcase>`
  const values = Object.entries(check.values).map(([key, value]) => `${key}=${value === null ? 'n/a' : value}`)
  const body = [
    `observed: ${check.observed}`,
    `expected: ${check.expected}`,
    ...(values.length === 0 ? [] : [`values: ${values.join(', ')}`]),
    ...(check.examples.length === 0 ? [] : ['examples:', ...check.examples.slice(0, EXAMPLES_MAX).map((example) => `  - ${example.message}`)]),
    `replay: ${replay}`,
  ].join('\n')
  const message = `observed ${check.observed}; expected ${check.expected}`
  return `${open}\n      <failure message="${attr(message)}" type="likestorm.${attr(check.kind)}">${text(body)}</failure>\n    </testcase>`
}
