// XSD validation with libxml2's own xmllint compiled to WebAssembly (the npm package xmllint-wasm,
// pinned in package-lock.json): the validator CI users run as `xmllint --schema`, with no system
// package, no native build and nothing fetched at run time. Chosen over libxmljs2 (a native addon that
// needs a compiler at install time), xsd-schema-validator (needs Java) and wrappers of a system
// xmllint (which is what a fresh machine lacks).
import { validateXML } from 'xmllint-wasm'

export interface XmlFile {
  /** The name xmllint reports the file by ("several.xml validates"). */
  readonly fileName: string
  readonly contents: string
}

export interface SchemaVerdict {
  readonly valid: boolean
  /** What xmllint printed: "<file> validates", or one line per violation. */
  readonly output: string
}

/** `xmllint --noout --schema <schema> <xml>`. Rejects when the schema itself does not compile (exit code 5). */
export async function validateAgainstSchema(xml: XmlFile, schema: XmlFile): Promise<SchemaVerdict> {
  const result = await validateXML({ xml, schema })
  return { valid: result.valid, output: result.rawOutput }
}
