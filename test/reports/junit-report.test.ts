// JUnit XML: valid against the committed JUnit schema (reports/junit/junit.xsd, checked by xmllint
// compiled to WebAssembly, from npm: see test/helpers/xml-schema.ts) and structurally: one testcase per
// check, failures where checks failed, counts that add up.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { renderJunitReport, suiteName } from '../../reports/junit-report.ts'
import type { RunResult } from '../../result/result.ts'
import { validateAgainstSchema, type SchemaVerdict } from '../helpers/xml-schema.ts'
import { mutable, smallResult } from './fixtures.ts'

const XSD = { fileName: 'junit.xsd', contents: readFileSync(join(import.meta.dirname, '..', '..', 'reports', 'junit', 'junit.xsd'), 'utf8') }

function xmllint(xml: string, fileName: string): Promise<SchemaVerdict> {
  return validateAgainstSchema({ fileName, contents: xml }, XSD)
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

  it('keeps hostile text intact: markup, quotes and control characters', async () => {
    const r = mutable(smallResult('overload-virginia', { strategy: 'naive', scale: 0.3 }))
    const failing = r.checks.find((c) => c.status === 'fail')!
    failing.observed = 'a <b> & "c" \u0007 </failure>]]>'
    const xml = renderJunitReport([r as unknown as RunResult])
    const testcase = parse(xml).testsuites.testsuite[0]!.testcase.find((t) => t.name === failing.name)!
    expect(testcase.failure?.message).toContain('a <b> & "c"  </failure>]]>')
    // The whole verdict, so a failure shows xmllint's own complaint.
    expect(await xmllint(xml, 'hostile.xml')).toEqual({ valid: true, output: 'hostile.xml validates\n' })
  })
})

describe('against the JUnit schema (xmllint --schema reports/junit/junit.xsd)', () => {
  it('validates for one run and for several', async () => {
    const results = runs()
    expect(await xmllint(renderJunitReport([results[0]!]), 'one.xml')).toEqual({ valid: true, output: 'one.xml validates\n' })
    expect(await xmllint(renderJunitReport(results), 'several.xml')).toEqual({ valid: true, output: 'several.xml validates\n' })
  })

  it('rejects a report that breaks the format, so the schema really checks', async () => {
    const xml = renderJunitReport([smallResult('baseline')])
    const noTests = await xmllint(xml.replace(/(<testsuite [^>]*?) tests="\d+"/, '$1'), 'no-tests.xml')
    expect(noTests.valid).toBe(false)
    expect(noTests.output).toContain("The attribute 'tests' is required but missing")
    expect((await xmllint(xml.replace('<testcase name=', '<testcase label='), 'no-name.xml')).valid).toBe(false)
    expect((await xmllint(xml.replace(/failures="0" errors/, 'failures="none" errors'), 'bad-count.xml')).valid).toBe(false)
  })

  it('is a schema xmllint compiles, and a broken one is refused rather than passing everything', async () => {
    const xml = renderJunitReport([smallResult('baseline')])
    const broken = { fileName: 'broken.xsd', contents: XSD.contents.replace('base="xs:nonNegativeInteger"', 'base="xs:noSuchType"') }
    expect(broken.contents).not.toBe(XSD.contents)
    await expect(validateAgainstSchema({ fileName: 'any.xml', contents: xml }, broken)).rejects.toThrow(/noSuchType/)
  })
})
