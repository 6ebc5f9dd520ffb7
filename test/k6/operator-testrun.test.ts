// The k6-operator TestRun the export writes (k6-operator-testrun.yaml, and the same YAML in its
// README) is one the operator takes: it validates against the TestRun CRD's openAPIV3Schema,
// vendored from grafana/k6-operator (test/fixtures/k6-operator/, header says which commit).
// Kubernetes does more than JSON Schema here: a field the schema does not declare is rejected by
// `kubectl apply` (strict field validation) or pruned, so a misspelt field is an error below too.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { parse, parseAllDocuments } from 'yaml'
import { testRunYaml } from '../../scenarios/k6/export-readme.ts'
import { exported } from './helpers/exports.ts'

const SCHEMA_PATH = join(import.meta.dirname, '..', 'fixtures', 'k6-operator', 'testrun-v1alpha1.schema.yaml')

type Schema = { [key: string]: unknown }

/** Kubernetes' structural-schema rule in JSON Schema terms: an object with declared properties has no others, unless it says it keeps them. */
function strict(schema: Schema): Schema {
  const out: Schema = {}
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && typeof value === 'object' && value !== null) out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, strict(sub as Schema)]))
    else if ((key === 'items' || key === 'additionalProperties') && typeof value === 'object' && value !== null) out[key] = strict(value as Schema)
    else out[key] = value
  }
  if (schema['properties'] !== undefined && schema['additionalProperties'] === undefined && schema['x-kubernetes-preserve-unknown-fields'] !== true) out['additionalProperties'] = false
  return out
}

const crdSchema = strict(parse(readFileSync(SCHEMA_PATH, 'utf8')) as Schema)
// What the API server checks of every object's metadata besides the CRD: a name (a DNS-1123 subdomain).
const metadata = { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 253, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' } } }
const schema = { ...crdSchema, required: ['apiVersion', 'kind', 'metadata', 'spec'], properties: { ...(crdSchema['properties'] as Schema), apiVersion: { const: 'k6.io/v1alpha1' }, kind: { const: 'TestRun' }, metadata } }
// strict: false for the x-kubernetes-* keywords; formats (int32, int-or-string) are Kubernetes' own.
const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema)

function problems(manifest: unknown): string[] {
  return validate(manifest) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`)
}

describe('the k6-operator TestRun of an export', () => {
  const summary = exported('overload-virginia')
  const written = readFileSync(summary.files.testRun, 'utf8')

  it('is one YAML document that validates against the operator CRD schema', () => {
    const documents = parseAllDocuments(written)
    expect(documents).toHaveLength(1)
    expect(documents[0]?.errors).toEqual([])
    const manifest = documents[0]?.toJS() as { spec: { parallelism: number; script: { configMap: { name: string; file: string } } } }
    expect(problems(manifest)).toEqual([])
    expect(manifest.spec.parallelism).toBe(4)
    expect(manifest.spec.script.configMap.file).toBe('script.js')
  })

  it('is the TestRun the README shows', () => {
    const readme = readFileSync(summary.files.readme, 'utf8')
    const block = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1]
    expect(parse(block ?? '')).toEqual(parse(written))
  })

  it('validates for the longest name the export gives', () => {
    expect(problems(parse(testRunYaml({ name: `likestorm-${'x'.repeat(80)}`.slice(0, 52), firstUrl: 'http://engagement.default.svc:8080' })))).toEqual([])
  })

  it('fails the schema when a field is misspelt, mistyped or missing (the check can fail)', () => {
    const manifest = parse(written) as { spec: Record<string, unknown> & { runner: Record<string, unknown> } }
    const misspelt = { ...manifest, spec: { ...manifest.spec, runner: { ...manifest.spec.runner, volumeMount: manifest.spec.runner['volumeMounts'] } } }
    expect(problems(misspelt).join('\n')).toMatch(/\/spec\/runner must NOT have additional properties .*volumeMount"/)
    expect(problems({ ...manifest, spec: { ...manifest.spec, parallelism: '4' } }).join('\n')).toMatch(/\/spec\/parallelism must be integer/)
    expect(problems({ ...manifest, spec: { ...manifest.spec, script: undefined } }).join('\n')).toMatch(/must have required property 'script'/)
    expect(problems({ ...manifest, metadata: { name: 'LikeStorm_x' } }).join('\n')).toMatch(/\/metadata\/name must match pattern/)
  })
})
