// The guard around a user's system: whatever a module does wrong in a call is answered or absorbed
// there, counted with the call, its region and time, and never reaches the harness as a throw. A
// well-behaved module's answers pass through untouched.
import { describe, expect, it } from 'vitest'
import { CoreReply } from '../../../mock-server/core/core-reply.ts'
import { Environment } from '../../../mock-server/env/environment.ts'
import { FAULT_EXAMPLES_MAX, SystemFaultLog } from '../../../mock-server/systems/fault-log.ts'
import { faultReportOf, guardModule, type GuardedSystem } from '../../../mock-server/systems/guard.ts'
import { robust } from '../../../mock-server/systems/robust.ts'
import type { EngagementSystem, SystemEnv, SystemMessage, SystemRequest, SystemSettings } from '../../../mock-server/systems/system.ts'
import { userRecord } from '../../helpers/user-record.ts'

const SETTINGS = { idempotencyTtlMs: 30_000, idempotencyMaxKeys: 1000, notificationDelayMs: 500, inboxMax: 10, counterWritesPerSPerShard: 1e6, replicationBacklogMaxEntries: 1000, purgesMayRun: true }

/** robust in two regions (u0..u4, v0..v2), with `overrides` in place of its own methods, guarded. */
function guarded(overrides: (inner: EngagementSystem<SystemMessage>) => Partial<EngagementSystem<SystemMessage>>): { env: Environment; system: GuardedSystem<SystemMessage> } {
  const env = new Environment({ regions: ['a', 'b'].map((id) => ({ id, capacityRps: 1e6, cacheCapacityOpsPerS: 1e6 })), lagMs: () => 50, seed: 1, serviceTimeMs: 4, serviceJitterMeanMs: 2, cacheTimeoutMs: 50 })
  for (let i = 0; i < 5; i++) env.directory.addUser(userRecord(`u${i}`, i))
  for (let v = 0; v < 3; v++) env.directory.addVideo({ videoId: `v${v}`, creatorId: 'u0' })
  const module = guardModule<SystemMessage>({
    ...robust,
    name: 'test',
    create: (e: SystemEnv, s: SystemSettings) => {
      const inner = robust.create(e as never, s) as unknown as EngagementSystem<SystemMessage>
      const own: Record<string | symbol, unknown> = overrides(inner)
      // robust's methods, but those overridden; an override calls robust's own through `inner`.
      return new Proxy(inner, { get: (target, name) => (name in own ? own[name] : Reflect.get(target, name, target)) })
    },
  })
  const system = module.create(env, SETTINGS) as GuardedSystem<SystemMessage>
  env.attach(system)
  system.onDirectory()
  env.advanceTo(1000)
  return { env, system }
}

const request = (fields: Partial<SystemRequest> = {}): SystemRequest => ({ region: 1, user: 2, video: 1, key: undefined, clientBlock: -1, watchMs: 10, afterVideo: -1, limit: 10, ...fields })

describe('a request handler that misbehaves is answered LS_CORE_SYSTEM_FAULT and recorded', () => {
  it.each<[string, (inner: EngagementSystem<SystemMessage>) => Partial<EngagementSystem<SystemMessage>>, 'like' | 'readCounts' | 'view' | 'readLike', RegExp]>([
    ['a throw', () => ({ like: () => { throw new TypeError('boom') } }), 'like', /^threw TypeError: boom$/],
    ['no answer written', () => ({ like: (_, reply) => reply }), 'like', /^latencyMs NaN: must be a finite number of ms >= 0 \(no answer written: call reply\.succeed or reply\.fail\)$/],
    ['a negative latency', (inner) => ({ like: (q, r) => Object.assign(inner.like(q, r), { latencyMs: -5 }) }), 'like', /^latencyMs -5: must be a finite number/],
    ['an infinite latency', (inner) => ({ like: (q, r) => Object.assign(inner.like(q, r), { latencyMs: Infinity }) }), 'like', /^latencyMs Infinity/],
    ['ok with an error code', (inner) => ({ view: (q, r) => Object.assign(inner.view(q, r), { code: 'LS_CORE_OVERLOADED' }) }), 'view', /^ok with error code "LS_CORE_OVERLOADED"$/],
    ['a failure with a code not in the catalogue', () => ({ like: (_, r) => Object.assign(r.fail('LS_CORE_OVERLOADED', 3), { code: 'OOPS' }) }), 'like', /^failed with code "OOPS": not one of LS_CORE_OVERLOADED, /],
    ['a NaN count', (inner) => ({ readCounts: (q, r) => Object.assign(inner.readCounts(q, r), { likeCount: Number.NaN }) }), 'readCounts', /^likeCount NaN: must be a whole number >= 0$/],
    ['a count a read must give left out', (inner) => ({ readCounts: (q, r) => Object.assign(inner.readCounts(q, r), { viewCount: -1 }) }), 'readCounts', /^viewCount -1: must be a whole number >= 0$/],
    ['a flag that is not a boolean', (inner) => ({ readLike: (q, r) => Object.assign(inner.readLike(q, r), { liked: 'yes' }) }), 'readLike', /^liked "yes": must be a boolean$/],
    ['an infinite asOfMs', (inner) => ({ readCounts: (q, r) => Object.assign(inner.readCounts(q, r), { asOfMs: -Infinity }) }), 'readCounts', /^asOfMs -Infinity: must be a finite time in ms, or NaN for no claim$/],
  ])('%s', (_, overrides, call, problem) => {
    const { system } = guarded(overrides)
    const reply = system[call](request(), new CoreReply())
    expect(reply).toMatchObject({ ok: false, code: 'LS_CORE_SYSTEM_FAULT', likeCount: -1, viewCount: -1, replayed: false, changed: false })
    expect(reply.latencyMs >= 0 && reply.latencyMs < Infinity).toBe(true)
    const report = faultReportOf(system)
    expect(report).toMatchObject({ count: 1, byCall: { [call]: 1 } })
    expect(report?.examples[0]).toMatchObject({ call, region: 'b', atMs: 1000, videoId: 'v1' })
    expect(report?.examples[0]?.problem).toMatch(problem)
    expect(system.counters()['systemFaults']).toBe(1)
  })

  it('a page of ids nobody has, or an inbox of them, is a fault and an empty answer', () => {
    const { system } = guarded(() => ({
      likedPage: (_, reply) => ({ videos: [0, 7], more: (reply.succeed(3, false), false) }),
      notifications: (_, reply) => [{ video: 0, fromUser: 99, likedAtMs: 1, deliveredAtMs: 2, ...(reply.succeed(3, false) && {}) }],
    }))
    const pageReply = new CoreReply()
    expect(system.likedPage(request(), pageReply)).toEqual({ videos: [], more: false })
    expect(pageReply.code).toBe('LS_CORE_SYSTEM_FAULT')
    const inboxReply = new CoreReply()
    expect(system.notifications(request(), inboxReply)).toEqual([])
    expect(faultReportOf(system)?.examples.map((fault) => fault.problem)).toEqual(["likedPage's videos[1] 7: not a video handle (0..2)", 'notifications[0].fromUser 99: not a user handle'])
  })

  it('a well-behaved answer passes through untouched', () => {
    const { system } = guarded(() => ({}))
    expect(system.like(request(), new CoreReply())).toMatchObject({ ok: true, code: '', liked: true, likeCount: 1, changed: true })
    expect(system.readCounts(request(), new CoreReply())).toMatchObject({ ok: true, likeCount: 1 })
    expect(system.like(request({ user: -1 }), new CoreReply())).toMatchObject({ ok: false, code: 'LS_CORE_UNKNOWN_USER' })
    expect(faultReportOf(system)?.count).toBe(0)
  })
})

describe('a background call that misbehaves is counted, and the harness goes on', () => {
  it('messages, timers, outages and observations that throw, with a harmless value in place of an answer', () => {
    const { env, system } = guarded(() => ({
      onTick: () => { throw new Error('tick') },
      onOutage: () => { throw new Error('outage') },
      observe: () => { throw new Error('observe') },
      counters: () => ({ fine: 1, broken: Number.NaN }),
    }))
    env.advanceTo(1100)
    env.setRegionUp('a', false, 1100)
    expect(system.observe(0)).toMatchObject({ countsDigest: 'system-fault', watermarkMs: 0 })
    expect(system.counters()).toEqual({ fine: 1, systemFaults: faultReportOf(system)?.count })
    const report = faultReportOf(system)
    expect(report?.byCall).toEqual({ observe: 1, onOutage: 1, onTick: 22 })
    // A few examples of each call, so the many ticks do not hide the outage and the observation.
    expect(report?.examples.map((fault) => fault.call)).toEqual(['onTick', 'onTick', 'onTick', 'onOutage', 'observe'])
    expect(report?.examples[0]).toEqual({ call: 'onTick', region: 'a', atMs: 1000, problem: 'threw Error: tick' })
  })

  it("a purge's report keeps only what it removed of that account, and a seeded like that is not a boolean counts as no change", () => {
    const { system } = guarded(() => ({
      purgeAccount: (user, removed) => { removed.push({ user, video: 0 }, { user: user + 1, video: 1 }) },
      seedLike: () => 'yes' as never,
    }))
    const removed = [{ user: 4, video: 2 }]
    system.purgeAccount(3, removed)
    expect(removed).toEqual([{ user: 4, video: 2 }, { user: 3, video: 0 }])
    expect(system.seedLike({ user: 1, video: 1, atMs: 0 })).toBe(false)
    expect(faultReportOf(system)?.examples.map((fault) => fault.problem)).toEqual(['removed[1] is not { user: 3, video: <a video handle> }', 'returned string: must be a boolean'])
  })

  it("a purge's removed views keep only well-formed entries of that account, and a module that does not declare them is called without the list", () => {
    const { system } = guarded(() => ({
      purgeAccount: (user, _removed, removedViews) => {
        removedViews?.push({ user, video: 2, views: 3 }, { user, video: 1, views: 0 }, { user, video: 0, views: 1 })
      },
    }))
    const removedViews = [{ user: 4, video: 0, views: 1 }]
    system.purgeAccount(3, [], removedViews)
    expect(removedViews).toEqual([{ user: 4, video: 0, views: 1 }, { user: 3, video: 2, views: 3 }])
    expect(faultReportOf(system)?.examples.map((fault) => fault.problem)).toEqual(['removedViews[1] is not { user: 3, video: <a video handle>, views: <a whole number >= 1> }'])
    // Without the list (a module written before the capability), the call is the one it always was.
    let args = -1
    const { system: older } = guarded(() => ({ purgeAccount: (...given: unknown[]) => { args = given.length } }))
    older.purgeAccount(3, [])
    expect(args).toBe(2)
  })
})

describe('the fault log', () => {
  it('is bounded: counts go on, examples stop at a few of each call and a total', () => {
    const log = new SystemFaultLog()
    for (let i = 0; i < 1000; i++) log.record({ call: `call${i % 7}`, region: 'a', atMs: i, problem: 'x'.repeat(1000) })
    const report = log.report()
    expect(report.count).toBe(1000)
    expect(report.examples).toHaveLength(FAULT_EXAMPLES_MAX)
    expect(Math.max(...report.examples.map((fault) => fault.problem.length))).toBeLessThanOrEqual(240)
    expect(Object.values(report.byCall).reduce((sum, n) => sum + n, 0)).toBe(1000)
  })
})
