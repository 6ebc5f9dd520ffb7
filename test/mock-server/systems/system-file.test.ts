// Loading a user's system module (--system): TypeScript and JavaScript load, the file is recorded
// by path and digest, and every way a module cannot run is one problem that says what to do,
// found before any run: another interface version, a wrong shape, a create() that throws or makes
// an object without the interface's methods, a file that does not load.
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_CORE_CONFIG } from '../../../mock-server/core/config.ts'
import { EngagementCore } from '../../../mock-server/core/engagement-core.ts'
import { loadSystemFile, systemFileOf } from '../../../mock-server/systems/system-file.ts'
import { SYSTEM_INTERFACE_VERSION } from '../../../mock-server/systems/system.ts'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const load = (path: string) => loadSystemFile(path, { cwd: ROOT })

/** A module in a temporary folder, with the given text. */
function moduleFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'likestorm-system-file-'))
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

const VALID_FIELDS = "interfaceVersion: 1, name: 'tiny', description: 'a test', writesWaitOnCache: false"

describe('a module that implements the interface loads', () => {
  it('TypeScript (its default export), recorded by its path as given and the SHA-256 of its bytes', async () => {
    const outcome = await load('examples/systems/set-counter.ts')
    if (!outcome.ok) throw new Error(outcome.problem)
    const sha256 = createHash('sha256').update(readFileSync(join(ROOT, 'examples/systems/set-counter.ts'))).digest('hex')
    expect(outcome.file).toEqual({ path: 'examples/systems/set-counter.ts', sha256 })
    expect(outcome.module).toMatchObject({ name: 'set-counter', interfaceVersion: SYSTEM_INTERFACE_VERSION })
    expect(systemFileOf(outcome.module)).toMatchObject({ path: 'examples/systems/set-counter.ts', sha256, absolutePath: join(ROOT, 'examples/systems/set-counter.ts'), interfaceVersion: 1 })
  })

  it('JavaScript (.mjs, its export named system)', async () => {
    const outcome = await load('test/fixtures/systems/set-counter.mjs')
    expect(outcome.ok && outcome.module.name).toBe('set-counter-mjs')
  })

  it('guarded: a core built on it counts what the module gets wrong instead of throwing', async () => {
    const outcome = await load('test/fixtures/systems/throws-sometimes.ts')
    if (!outcome.ok) throw new Error(outcome.problem)
    const core = new EngagementCore({ ...DEFAULT_CORE_CONFIG, regions: [{ id: 'a', capacityRps: 1e6, cacheCapacityOpsPerS: 1e6 }] }, outcome.module)
    core.advanceTo(100)
    expect(core.systemFaults()).toMatchObject({ count: 1, byCall: { onTick: 1 } })
  })
})

describe('a module that cannot run is one problem, before any run', () => {
  it.each([
    ['another interface version', 'test/fixtures/systems/version-2.mjs', /--system test\/fixtures\/systems\/version-2\.mjs: implements system interface version 2; this LikeStorm speaks version 1 \(docs\/systems\.md#versioning\)$/],
    ['no interface version', moduleFile('old.mjs', "export default { name: 'old', create: () => ({}) }"), /declares no interfaceVersion; this LikeStorm speaks version 1/],
    ['no system exported', moduleFile('none.mjs', 'export const other = 1'), /exports no system: `export default \{ interfaceVersion: 1, name, description, writesWaitOnCache, create \}`/],
    ['not an object', moduleFile('fn.mjs', 'export default () => 1'), /its export is function, not a system module object/],
    ['not a module', moduleFile('system.json', '{}'), /must be a TypeScript or JavaScript module/],
    ['a file that is not there', 'examples/systems/nowhere.ts', /nowhere\.ts: cannot be read \(ENOENT\)/],
    ['a file that does not compile', moduleFile('broken.ts', 'export default {'), /broken\.ts: does not load: /],
    ['create() that throws', moduleFile('throws.mjs', `export default { ${VALID_FIELDS}, create: () => { throw new RangeError('no regions like these') } }`), /create\(\) threw RangeError: no regions like these$/],
    ['create() without the methods', moduleFile('half.mjs', `export default { ${VALID_FIELDS}, create: () => ({ like() {}, unlike() {} }) }`), /create\(\) returned a system without view\(\), readCounts\(\), readLike\(\), likedPage\(\), notifications\(\), onMessage\(\), onTick\(\), onOutage\(\), onRecover\(\), onDirectory\(\), onTakedown\(\), seedLike\(\), purgeAccount\(\), observe\(\), counters\(\)$/],
  ])('%s', async (_, path, problem) => {
    const outcome = await load(path)
    expect(outcome.ok).toBe(false)
    if (!outcome.ok) {
      expect(outcome.problem).toMatch(problem)
      expect(outcome.problem.split('\n')).toHaveLength(1)
    }
  })

  it('names every problem of its shape at once', async () => {
    const outcome = await load(moduleFile('shape.mjs', "export default { interfaceVersion: 1, name: 'Not A Name', description: 5, honoursDeadlines: 'yes', removesPurgedViews: 1, create: 'later' }"))
    expect(outcome.ok ? '' : outcome.problem.split('; ')).toEqual([
      expect.stringMatching(/: name "Not A Name": must be 1 to 64 characters from a-z 0-9 \. _ - starting with a letter or digit$/),
      'description: must be a string (one line: what the system does)',
      'writesWaitOnCache: must be a boolean (true when likes wait on the counter cache)',
      "honoursDeadlines: must be a boolean when given (default true: attempts past their client's deadline are refused unexecuted)",
      'removesPurgedViews: must be a boolean when given (default false: a purge removes likes only)',
      'create: must be a function (env, settings) => EngagementSystem',
    ])
  })

  it("refuses a built-in system's name", async () => {
    const outcome = await load(moduleFile('robust.mjs', `export default { ${VALID_FIELDS.replace("'tiny'", "'robust'")}, create: () => ({}) }`))
    expect(outcome.ok ? '' : outcome.problem).toMatch(/name robust is a built-in system's \(--strategy robust\); choose another$/)
  })
})
