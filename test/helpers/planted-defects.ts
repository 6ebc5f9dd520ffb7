// Systems with one planted defect each, to prove that each checker fails on the invariant it
// guards. Every one is robust behind a wrapper that changes requests, replies, messages or the
// environment it is handed, through the system interface only: production code has no defect
// branch. They are not offered on the command line; tests name them (`systemByName`).
import { CoreReply } from '../../mock-server/core/core-reply.ts'
import { AT_KIND, F64_PER_ENTRY, I32_PER_ENTRY } from '../../mock-server/core/origin-log.ts'
import { strategyByName } from '../../mock-server/core/strategy.ts'
import { CountingSystem } from '../../mock-server/systems/counting/counting-system.ts'
import { AckedReplication, type AckedMessage } from '../../mock-server/systems/replication/acked.ts'
import { ROBUST_DESIGN, robust } from '../../mock-server/systems/robust.ts'
import type { EngagementSystem, PurgedPair, PurgedViews, SystemEnv, SystemModule, SystemReply, SystemRequest } from '../../mock-server/systems/system.ts'
import { SYSTEM_INTERFACE_VERSION } from '../../mock-server/systems/system.ts'

type Plant = (inner: EngagementSystem<AckedMessage>, env: SystemEnv<AckedMessage>) => Partial<EngagementSystem<AckedMessage>>

/** Every call goes to `inner` unless `overrides` has it. */
function delegate(inner: EngagementSystem<AckedMessage>, overrides: Partial<EngagementSystem<AckedMessage>>): EngagementSystem<AckedMessage> {
  return {
    like: (q, r) => inner.like(q, r),
    unlike: (q, r) => inner.unlike(q, r),
    view: (q, r) => inner.view(q, r),
    readCounts: (q, r) => inner.readCounts(q, r),
    readLike: (q, r) => inner.readLike(q, r),
    likedPage: (q, r) => inner.likedPage(q, r),
    notifications: (q, r) => inner.notifications(q, r),
    onMessage: (to, from, m) => inner.onMessage(to, from, m),
    onTick: (region, nowMs) => inner.onTick(region, nowMs),
    onOutage: (region) => inner.onOutage(region),
    onRecover: (region) => inner.onRecover(region),
    onDirectory: () => inner.onDirectory(),
    onTakedown: (videos, takenDown) => inner.onTakedown(videos, takenDown),
    seedLike: (like) => inner.seedLike(like),
    purgeAccount: (user, removed, removedViews) => inner.purgeAccount(user, removed, removedViews),
    observe: (region) => inner.observe(region),
    counters: () => inner.counters(),
    reserve: (plan) => inner.reserve?.(plan),
    ...overrides,
  }
}

function planted(name: string, description: string, plant: Plant, wrapEnv: (env: SystemEnv<AckedMessage>) => SystemEnv<AckedMessage> = (env) => env): SystemModule<AckedMessage> {
  return {
    interfaceVersion: SYSTEM_INTERFACE_VERSION,
    name,
    description: `robust with one planted defect: ${description}`,
    writesWaitOnCache: robust.writesWaitOnCache,
    // robust's purges remove views: the wrapper says so, as robust does.
    removesPurgedViews: true,
    source: { url: import.meta.url, exportName: 'PLANTED_DEFECTS' },
    create: (env, settings) => {
      const inner = robust.create(wrapEnv(env), settings)
      return delegate(inner, plant(inner, env))
    },
  }
}

/** True on every `every`th call. */
function everyNth(every: number): () => boolean {
  let calls = 0
  return () => ++calls % every === 0
}

function withEnv(env: SystemEnv<AckedMessage>, overrides: Partial<SystemEnv<AckedMessage>>): SystemEnv<AckedMessage> {
  return {
    regions: env.regions,
    directory: env.directory,
    cacheTimeoutMs: env.cacheTimeoutMs,
    nowMs: () => env.nowMs(),
    random: () => env.random(),
    serviceMs: () => env.serviceMs(),
    send: (from, to, message) => env.send(from, to, message),
    admit: (region, queueMaxMs) => env.admit(region, queueMaxMs),
    queueDelayMs: (region) => env.queueDelayMs(region),
    retryAfterMs: (region, queueMaxMs) => env.retryAfterMs(region, queueMaxMs),
    cacheCall: (region) => env.cacheCall(region),
    cacheDelayMs: (region) => env.cacheDelayMs(region),
    firstView: (video, user) => env.firstView(video, user),
    ...overrides,
  }
}

const lostLikes = planted('broken-lost-likes', 'acknowledges every 40th like without storing it', (inner) => {
  const due = everyNth(40)
  return {
    like: (request: SystemRequest, reply: SystemReply) => {
      if (!due()) return inner.like(request, reply)
      // Read the count instead of writing, and answer as if the like were stored.
      inner.readCounts(request, reply)
      if (!reply.ok) return reply
      const likeCount = reply.likeCount + 1
      const asOfMs = reply.asOfMs
      reply.succeed(reply.latencyMs, false)
      reply.liked = true
      reply.likeCount = likeCount
      reply.asOfMs = asOfMs
      return reply
    },
  }
})

const doubleCount = planted('broken-double-count', 'every 25th like bumps its video count once more, for good', (inner) => {
  const due = everyNth(25)
  const extra = new Map<number, number>()
  const inflate = (video: number, reply: SystemReply): SystemReply => {
    if (reply.ok) reply.likeCount += extra.get(video) ?? 0
    return reply
  }
  return {
    like: (request, reply) => {
      inner.like(request, reply)
      if (reply.ok && !reply.replayed && due()) extra.set(request.video, (extra.get(request.video) ?? 0) + 1)
      return inflate(request.video, reply)
    },
    unlike: (request, reply) => inflate(request.video, inner.unlike(request, reply)),
    readCounts: (request, reply) => inflate(request.video, inner.readCounts(request, reply)),
  }
})

const zeroReads = planted('broken-zero-reads', 'every 50th video read returns a fresh-looking 0', (inner) => {
  const due = everyNth(50)
  return {
    readCounts: (request, reply) => {
      inner.readCounts(request, reply)
      if (reply.ok && due()) {
        reply.likeCount = 0
        reply.viewCount = 0
        reply.uniqueViewers = 0
        reply.stale = false
      }
      return reply
    },
  }
})

const counterBounds = planted('broken-counter-bounds', 'every 30th video read reports one like too many', (inner) => {
  const due = everyNth(30)
  return {
    readCounts: (request, reply) => {
      inner.readCounts(request, reply)
      if (reply.ok && due()) reply.likeCount++
      return reply
    },
  }
})

const flip = planted('broken-flip', 'every 20th read-back of an own like says unliked', (inner) => {
  const due = everyNth(20)
  return {
    readLike: (request, reply) => {
      inner.readLike(request, reply)
      if (reply.ok && reply.liked && due()) reply.liked = false
      return reply
    },
  }
})

const noConverge = planted('broken-no-converge', 'every 15th write replicated to ap-southeast arrives blank (acknowledged, never applied)', (inner, env) => {
  const due = everyNth(15)
  const target = env.regions.indexOf('ap-southeast')
  return {
    onMessage: (to, from, message) => {
      if (to !== target || message.type !== 'entries') return inner.onMessage(to, from, message)
      // A write's kind no replica knows: the row is taken (and acknowledged) but changes nothing.
      const rows = message.rows.slice()
      const words = new Int32Array(rows.buffer)
      for (let row = 0; row < rows.length / F64_PER_ENTRY; row++) if (due()) words[row * I32_PER_ENTRY + AT_KIND] = -1
      inner.onMessage(to, from, { ...message, rows })
    },
  }
})

const viewCounts = planted('broken-view-counts', 'every 30th view is counted twice', (inner) => {
  const due = everyNth(30)
  const again = new CoreReply()
  return {
    view: (request, reply) => {
      inner.view(request, reply)
      if (reply.ok && !reply.replayed && due()) {
        const key = request.key
        request.key = undefined
        inner.view(request, again)
        request.key = key
      }
      return reply
    },
  }
})

/**
 * A bot purge that also purges every 5th account it did not flag (once per purge), reporting their
 * removed views; their removed likes too when `reportsLikes`, else silently.
 */
function overPurging(name: string, description: string, { reportsLikes }: { reportsLikes: boolean }): SystemModule<AckedMessage> {
  return planted(name, description, (inner, env) => {
    let lastPurgeMs = Number.NaN
    return {
      purgeAccount: (user: number, removed: PurgedPair[], removedViews?: PurgedViews[]) => {
        inner.purgeAccount(user, removed, removedViews)
        if (env.nowMs() === lastPurgeMs) return
        lastPurgeMs = env.nowMs()
        for (let other = 0; other < env.directory.userCount; other += 5) if (other !== user && !env.directory.isDeleted(other)) inner.purgeAccount(other, reportsLikes ? removed : [], removedViews)
      },
    }
  })
}

const purge = overPurging('broken-purge', 'a bot purge also removes the likes of every 5th account it did not flag', { reportsLikes: true })

const purgeViews = overPurging('broken-purge-views', 'a bot purge also removes (and reports) the views of every 5th account it did not flag, and silently their likes', { reportsLikes: false })

/** Says its purges remove views (the module declares it) but its design keeps them counted. */
const purgeKeepsViews: SystemModule<AckedMessage> = {
  interfaceVersion: SYSTEM_INTERFACE_VERSION,
  name: 'broken-purge-keeps-views',
  description: 'robust with one planted defect: declares that its purges remove views, and removes none',
  writesWaitOnCache: false,
  removesPurgedViews: true,
  source: { url: import.meta.url, exportName: 'PLANTED_DEFECTS' },
  create: (env, settings) =>
    new CountingSystem(env, settings, { ...ROBUST_DESIGN, removesPurgedViews: false }, (replicas) => new AckedReplication({ env, replicas, backlogMaxEntries: settings.replicationBacklogMaxEntries })),
}

const noShed = planted(
  'broken-no-shed',
  'queues for 30 s instead of shedding',
  () => ({}),
  (env) => withEnv(env, { admit: (region) => env.admit(region, 30_000), retryAfterMs: (region) => env.retryAfterMs(region, 30_000) }),
)

const replay = planted('broken-replay', 'applies a repeated request again instead of replaying its idempotency key', (inner) => {
  const keyless = (request: SystemRequest, reply: SystemReply, write: (q: SystemRequest, r: SystemReply) => SystemReply): SystemReply => {
    const key = request.key
    request.key = undefined
    write(request, reply)
    request.key = key
    return reply
  }
  return {
    like: (request, reply) => keyless(request, reply, (q, r) => inner.like(q, r)),
    unlike: (request, reply) => keyless(request, reply, (q, r) => inner.unlike(q, r)),
    view: (request, reply) => keyless(request, reply, (q, r) => inner.view(q, r)),
  }
})

const notifications = planted('broken-notifications', 'drops every 10th notification', (inner) => ({
  // The same notifications go missing on every read: which ones is a hash of the like.
  notifications: (request, reply) => inner.notifications(request, reply).filter((item) => (item.video * 31 + item.fromUser * 17 + Math.round(item.likedAtMs)) % 10 !== 3),
}))

/** A design choice naive makes (evicting a taken-down video's counters), planted in robust. */
const takedown: SystemModule<AckedMessage> = {
  interfaceVersion: SYSTEM_INTERFACE_VERSION,
  name: 'broken-takedown',
  description: 'robust with one planted defect: evicts the counts of a taken-down video',
  writesWaitOnCache: false,
  removesPurgedViews: true,
  source: { url: import.meta.url, exportName: 'PLANTED_DEFECTS' },
  create: (env, settings) =>
    new CountingSystem(env, settings, { ...ROBUST_DESIGN, takedownEvictsCounts: true }, (replicas) => new AckedReplication({ env, replicas, backlogMaxEntries: settings.replicationBacklogMaxEntries })),
}

const leak = planted('broken-leak', 'gets 40 ms slower every 100,000 requests', (inner) => {
  let requests = 0
  const slower = <T>(call: (q: SystemRequest, r: SystemReply) => T) => (request: SystemRequest, reply: SystemReply): T => {
    const answer = call(request, reply)
    reply.latencyMs += (40 * ++requests) / 100_000
    return answer
  }
  return {
    like: slower((q, r) => inner.like(q, r)),
    unlike: slower((q, r) => inner.unlike(q, r)),
    view: slower((q, r) => inner.view(q, r)),
    readCounts: slower((q, r) => inner.readCounts(q, r)),
    readLike: slower((q, r) => inner.readLike(q, r)),
    likedPage: slower((q, r) => inner.likedPage(q, r)),
    notifications: slower((q, r) => inner.notifications(q, r)),
  }
})

/** One variant per invariant, by name. */
export const PLANTED_DEFECTS: Readonly<Record<string, SystemModule>> = Object.fromEntries(
  [lostLikes, doubleCount, zeroReads, counterBounds, flip, noConverge, viewCounts, purge, purgeViews, purgeKeepsViews, noShed, replay, notifications, takedown, leak].map((system) => [system.name, system]),
)

/** A public system (robust, naive) or a planted-defect variant. */
export function systemByName(name: string): SystemModule {
  const found = strategyByName(name) ?? PLANTED_DEFECTS[name]
  if (found === undefined) throw new Error(`no system ${name}`)
  return found
}
