// JUnit XML: valid against the committed JUnit schema (xmllint, when installed; .ci/run installs it)
// and, always, structurally: one testcase per check, failures where checks failed, counts that add up.
import { execFileSync, spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { renderJunitReport, suiteName } from '../../reports/junit-report.ts'
import type { RunResult } from '../../scenarios/run/result.ts'
import { mutable, smallResult, tempDir } from './fixtures.ts'

const XSD = join(import.meta.dirname, '..', '..', 'reports', 'junit', 'junit.xsd')
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0
const dir = tempDir()

function xmllint(xml: string, name: string): { ok: boolean; output: string } {
  const path = join(dir, name)
  writeFileSync(path, xml)
  const run = spawnSync('xmllint', ['--noout', '--schema', XSD, path], { encoding: 'utf8' })
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` }
}

interface Parsed {
  testsuites: { tests: string; failures: string; testsuite: { name: string; tests: string; failures: string; errors: string; testcase: { name: string; classname: string; failure?: { message: string; type: string; '#text': string } }[] }[] }
}

function parse(xml: string): Parsed {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testsuite' || name === 'testcase' || name === 'property' })
  return parser.parse(xml) as Parsed
}

const runs = (): RunResult[] => [smallResult('overload-virginia', { strategy: 'naive', scale: 0.3 }), smallResult('bot-purge'), smallResult('baseline')]

describe('JUnit XML of runs', () => {
  it('has one testsuite per run, one testcase per check, and failures exactly where checks failed', () => {
    const results = runs()
    const doc = parse(renderJunitReport(results))
    const allChecks = results.flatMap((r) => r.checks)
    expect(Number(doc.testsuites.tests)).toBe(allChecks.length)
    expect(Number(doc.testsuites.failures)).toBe(allChecks.filter((c) => c.status === 'fail').length)
    expect(doc.testsuites.testsuite).toHaveLength(results.length)
    results.forEach((result, i) => {
      const suite = doc.testsuites.testsuite[i]!
      expect(suite.name).toBe(suiteName(result))
      expect(Number(suite.tests)).toBe(result.checks.length)
      expect(Number(suite.failures)).toBe(result.checks.filter((c) => c.status === 'fail').length)
      expect(Number(suite.errors)).toBe(0)
      expect(suite.testcase.map((t) => t.name)).toEqual(result.checks.map((c) => c.name))
      suite.testcase.forEach((testcase, j) => {
        const check = result.checks[j]!
        expect(testcase.classname).toBe(`likestorm.${result.scenario.name}.${result.strategy.name}`)
        expect(testcase.failure === undefined).toBe(check.status !== 'fail')
        if (testcase.failure !== undefined) {
          expect(testcase.failure.message).toBe(`observed ${check.observed}; expected ${check.expected}`)
          expect(testcase.failure['#text']).toContain(`observed: ${check.observed}`)
          expect(testcase.failure['#text']).toContain(`expected: ${check.expected}`)
          expect(testcase.failure['#text']).toContain(`replay: ${result.replay}`)
        }
      })
    })
  })

  it('keeps hostile text intact: markup, quotes and control characters', () => {
    const r = mutable(smallResult('overload-virginia', { strategy: 'naive', scale: 0.3 }))
    const failing = r.checks.find((c) => c.status === 'fail')!
    failing.observed = 'a <b> & "c" \u0007 </failure>]]>'
    const xml = renderJunitReport([r as unknown as RunResult])
    const testcase = parse(xml).testsuites.testsuite[0]!.testcase.find((t) => t.name === failing.name)!
    expect(testcase.failure?.message).toContain('a <b> & "c"  </failure>]]>')
    if (hasXmllint) expect(xmllint(xml, 'hostile.xml')).toMatchObject({ ok: true })
  })
})

describe.skipIf(!hasXmllint)('against the JUnit schema (xmllint --schema reports/junit/junit.xsd)', () => {
  it('validates for one run and for several', () => {
    const results = runs()
    expect(xmllint(renderJunitReport([results[0]!]), 'one.xml')).toMatchObject({ ok: true })
    const several = xmllint(renderJunitReport(results), 'several.xml')
    expect(several.output).toContain('validates')
    expect(several.ok).toBe(true)
  })

  it('rejects a report that breaks the format, so the schema really checks', () => {
    const xml = renderJunitReport([smallResult('baseline')])
    expect(xmllint(xml.replace(/(<testsuite [^>]*?) tests="\d+"/, '$1'), 'no-tests.xml').ok).toBe(false)
    expect(xmllint(xml.replace('<testcase name=', '<testcase label='), 'no-name.xml').ok).toBe(false)
    expect(xmllint(xml.replace(/failures="0" errors/, 'failures="none" errors'), 'bad-count.xml').ok).toBe(false)
  })

  it('is the schema xmllint reads without complaint', () => {
    expect(() => execFileSync('xmllint', ['--noout', XSD])).not.toThrow()
  })
})
