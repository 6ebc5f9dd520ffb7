// An adapter from the user's module (--adapter ./my-api.adapter.ts): imported through the shared
// importer (mock-server/user-module.ts: TypeScript through tsx, `likestorm` resolving to the
// package), its default export (or `adapter`) checked all at once before any run, as a --system
// module is (mock-server/systems/system-file.ts). A problem is a usage error (exit 2, LS_BAD_ADAPTER).
import { readUserModule } from '../../../mock-server/user-module.ts'
import { UsageError } from '../../errors.ts'
import { ADAPTER_INTERFACE_VERSION, type Adapter } from './adapter.ts'

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/

export interface LoadedAdapter {
  readonly adapter: Adapter
  /** As given, with forward slashes and without a leading ./ (the replay command names it). */
  readonly path: string
  readonly sha256: string
}

/** Load and check the adapter in `path` (relative to `cwd`); throws LS_BAD_ADAPTER naming every problem. */
export async function loadAdapterFile(path: string, { cwd }: { cwd: string }): Promise<LoadedAdapter> {
  const read = await readUserModule(path, { cwd })
  const fail = (problem: string): never => {
    throw new UsageError('LS_BAD_ADAPTER', `--adapter ${read.shown}: ${problem}`)
  }
  if (!read.ok) return fail(read.problem)
  const { shown, sha256, exports } = read
  const exported = exports['default'] ?? exports['adapter']
  if (exported === undefined) fail('exports no adapter: `export default defineAdapter({ interfaceVersion: 1, name, request, response })` (or `export const adapter = …`); see docs/targets.md')
  const problems = adapterProblems(exported)
  if (problems.length > 0) fail(problems.join('; '))
  return { adapter: exported as Adapter, path: shown, sha256 }
}

/** Every way `value` is not an adapter this harness can use (empty when it is one). */
export function adapterProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [`its export is ${value === null ? 'null' : typeof value}, not an adapter object`]
  const adapter = value as Partial<Record<keyof Adapter, unknown>>
  // The version first and alone: an adapter of another version differs in ways the rest would misname.
  if (adapter.interfaceVersion !== ADAPTER_INTERFACE_VERSION) {
    const found = adapter.interfaceVersion === undefined ? 'declares no interfaceVersion' : `implements adapter interface version ${JSON.stringify(adapter.interfaceVersion)}`
    return [`${found}; this LikeStorm speaks version ${ADAPTER_INTERFACE_VERSION} (docs/targets.md)`]
  }
  const problems: string[] = []
  if (typeof adapter.name !== 'string' || !NAME.test(adapter.name)) problems.push(`name ${JSON.stringify(adapter.name)}: must be 1 to 64 characters from a-z 0-9 . _ - starting with a letter or digit`)
  if (typeof adapter.request !== 'function') problems.push('request: must be a function (operation) => { method, path, headers?, body? } | undefined')
  if (typeof adapter.response !== 'function') problems.push('response: must be a function (operation, { status, body }) => { ok: true, value } | { ok: false, failure }')
  if (adapter.capabilities !== undefined && (typeof adapter.capabilities !== 'object' || adapter.capabilities === null)) problems.push('capabilities: must be a capabilities document object (docs/targets.md), or absent')
  return problems
}
