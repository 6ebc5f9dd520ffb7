// ReplicationLog: one append-only log per origin, a cursor per (origin, destination) link that
// delivers entries lagMs after they were written; durable links pause and catch up, volatile ones drop.
import { describe, expect, it } from 'vitest'
import { ENTRY_LIKE_STATE, ENTRY_VIEW, ReplicationLog, type ReplicaSink } from '../../../mock-server/core/replication-log.ts'

interface Applied {
  kind: number
  video: number
  user: number
  stamp: number
  liked: boolean
}

class RecordingSink implements ReplicaSink {
  readonly applied: Applied[] = []
  /** Full copies taken: from which origin, of how many entries the source had applied. */
  readonly merges: Array<{ origin: number; entries: number }> = []
  applyEntry(kind: number, video: number, user: number, stamp: number, liked: boolean): void {
    this.applied.push({ kind, video, user, stamp, liked })
  }
  mergeFrom(source: RecordingSink, origin: number): number {
    this.merges.push({ origin, entries: source.applied.length })
    return source.applied.length
  }
  get users(): number[] {
    return this.applied.map((a) => a.user)
  }
}

/** Two regions (0, 1) replicating to each other with the given lag; optional extra origins. */
function twoRegions({ lagMs = 100, durable = true, extraOrigins = 0 } = {}) {
  const sinks = [new RecordingSink(), new RecordingSink()]
  const log = new ReplicationLog({
    origins: 2 + extraOrigins,
    sinks,
    durable,
    lagMs: (origin, destination) => (origin === destination ? undefined : origin >= 2 ? 0 : lagMs),
  })
  return { log, a: sinks[0] as RecordingSink, b: sinks[1] as RecordingSink }
}

describe('ReplicationLog delivery', () => {
  it('delivers an entry exactly lagMs after it was written, not before', () => {
    const { log, b, a } = twoRegions({ lagMs: 100 })
    log.append(0, ENTRY_LIKE_STATE, 7, 3, 12345, true, 1000)
    log.advanceTo(1000)
    log.advanceTo(1099)
    expect(b.applied).toEqual([])
    log.advanceTo(1100)
    expect(b.applied).toEqual([{ kind: ENTRY_LIKE_STATE, video: 7, user: 3, stamp: 12345, liked: true }])
    // never delivered back to the origin itself
    expect(a.applied).toEqual([])
    expect(log.stats.applied).toBe(1)
  })

  it('delivers every entry once, in write order, including views and unlikes', () => {
    const { log, b } = twoRegions({ lagMs: 50 })
    log.append(0, ENTRY_LIKE_STATE, 1, 1, 10, true, 0)
    log.append(0, ENTRY_VIEW, 1, 2, 0, true, 0)
    log.append(0, ENTRY_LIKE_STATE, 1, 1, 20, false, 5)
    log.append(0, ENTRY_VIEW, 2, 3, 0, false, 10)
    log.advanceTo(54)
    expect(b.applied.map((e) => [e.kind, e.user, e.liked])).toEqual([
      [ENTRY_LIKE_STATE, 1, true],
      [ENTRY_VIEW, 2, true],
    ])
    log.advanceTo(55)
    expect(b.applied.map((e) => [e.kind, e.user, e.liked])).toEqual([
      [ENTRY_LIKE_STATE, 1, true],
      [ENTRY_VIEW, 2, true],
      [ENTRY_LIKE_STATE, 1, false],
    ])
    log.advanceTo(59)
    expect(b.applied).toHaveLength(3)
    log.advanceTo(60)
    log.advanceTo(60)
    log.advanceTo(1000)
    expect(b.applied).toHaveLength(4)
    expect(b.applied[3]).toEqual({ kind: ENTRY_VIEW, video: 2, user: 3, stamp: 0, liked: false })
  })

  it('uses each link its own lag', () => {
    const sinks = [new RecordingSink(), new RecordingSink(), new RecordingSink()]
    const log = new ReplicationLog({
      origins: 3,
      sinks,
      durable: true,
      lagMs: (origin, destination) => (origin === destination ? undefined : destination === 1 ? 30 : 300),
    })
    log.append(0, ENTRY_LIKE_STATE, 0, 9, 1, true, 0)
    log.advanceTo(30)
    expect((sinks[1] as RecordingSink).users).toEqual([9])
    expect((sinks[2] as RecordingSink).users).toEqual([])
    log.advanceTo(299)
    expect((sinks[2] as RecordingSink).users).toEqual([])
    log.advanceTo(300)
    expect((sinks[2] as RecordingSink).users).toEqual([9])
  })

  it('skips pairs without a lag (unlinked)', () => {
    const sinks = [new RecordingSink(), new RecordingSink()]
    const log = new ReplicationLog({ origins: 2, sinks, durable: true, lagMs: () => undefined })
    log.append(0, ENTRY_LIKE_STATE, 0, 1, 1, true, 0)
    log.advanceTo(10_000)
    expect(sinks.every((s) => s.applied.length === 0)).toBe(true)
    expect(log.pendingFor(1)).toBe(0)
    expect(log.watermarkMs(1, 10_000)).toBe(10_000)
  })

  it('pendingFor counts entries written but not yet applied at a destination', () => {
    const { log } = twoRegions({ lagMs: 100 })
    log.append(0, ENTRY_LIKE_STATE, 0, 1, 1, true, 0)
    log.append(0, ENTRY_LIKE_STATE, 0, 2, 2, true, 50)
    log.append(1, ENTRY_LIKE_STATE, 0, 3, 3, true, 50)
    expect(log.pendingFor(1)).toBe(2)
    expect(log.pendingFor(0)).toBe(1)
    log.advanceTo(100)
    expect(log.pendingFor(1)).toBe(1)
    log.advanceTo(150)
    expect(log.pendingFor(1)).toBe(0)
    expect(log.pendingFor(0)).toBe(0)
  })
})

describe('ReplicationLog watermark', () => {
  it('equals nowMs when every link is caught up', () => {
    const { log } = twoRegions()
    expect(log.watermarkMs(1, 500)).toBe(500)
    log.append(0, ENTRY_LIKE_STATE, 0, 1, 1, true, 600)
    log.advanceTo(700)
    expect(log.watermarkMs(1, 700)).toBe(700)
    expect(log.watermarkMs(1, 900)).toBe(900)
  })

  it('is the write time of the oldest undelivered entry (every entry older than it is delivered)', () => {
    const { log, b } = twoRegions({ lagMs: 100 })
    log.append(0, ENTRY_LIKE_STATE, 0, 1, 1, true, 1000)
    log.append(0, ENTRY_LIKE_STATE, 0, 2, 2, true, 1040)
    log.advanceTo(1050)
    expect(log.watermarkMs(1, 1050)).toBe(1000)
    log.advanceTo(1100)
    expect(b.users).toEqual([1])
    expect(log.watermarkMs(1, 1100)).toBe(1040)
    log.advanceTo(1140)
    expect(log.watermarkMs(1, 1140)).toBe(1140)
    // a destination that nobody writes to is caught up
    expect(log.watermarkMs(0, 1050)).toBe(1050)
  })

  it('is the minimum over the links into the destination', () => {
    const { log } = twoRegions({ lagMs: 100, extraOrigins: 1 })
    // region 0 wrote at 500 (undelivered at 550); the extra origin (lag 0) is idle
    log.append(0, ENTRY_LIKE_STATE, 0, 1, 1, true, 500)
    log.advanceTo(550)
    expect(log.watermarkMs(1, 550)).toBe(500)
    // the extra origin's entries land at once and do not hold the watermark back
    log.append(2, ENTRY_LIKE_STATE, 0, 1, 2, false, 560)
    log.advanceTo(560)
    expect(log.watermarkMs(1, 560)).toBe(500)
    expect(log.watermarkMs(0, 560)).toBe(560)
  })

  it('never exceeds nowMs', () => {
    const { log } = twoRegions({ lagMs: 100 })
    for (let t = 0; t < 1000; t += 37) {
      log.append(0, ENTRY_LIKE_STATE, 0, t, t, true, t)
      log.advanceTo(t)
      expect(log.watermarkMs(1, t)).toBeLessThanOrEqual(t)
    }
  })

  it('holds at the stop time for an idle stopped durable link', () => {
    const { log } = twoRegions({ lagMs: 100 })
    log.stopLink(0, 1, 2000)
    expect(log.watermarkMs(1, 5000)).toBe(2000)
    log.resumeLink(0, 1, 6000)
    log.advanceTo(6000)
    expect(log.watermarkMs(1, 6000)).toBe(6000)
  })
})

describe('ReplicationLog durable links', () => {
  it('stopLink pauses delivery; resumeLink catches up without loss and in order', () => {
    const { log, b } = twoRegions({ lagMs: 100, durable: true })
    log.append(0, ENTRY_LIKE_STATE, 0, 1, 1, true, 0)
    log.advanceTo(100)
    expect(b.users).toEqual([1])
    log.append(0, ENTRY_LIKE_STATE, 0, 2, 2, true, 150) // in flight when the link stops
    log.stopLink(0, 1, 200)
    for (let t = 300; t < 1000; t += 100) {
      log.append(0, ENTRY_LIKE_STATE, 0, t, t, true, t)
      log.advanceTo(t + 100)
    }
    expect(b.users).toEqual([1])
    expect(log.watermarkMs(1, 1000)).toBe(150)
    expect(log.pendingFor(1)).toBe(8)
    log.resumeLink(0, 1, 5000)
    log.advanceTo(5000)
    expect(b.users).toEqual([1, 2, 300, 400, 500, 600, 700, 800, 900])
    expect(log.stats.dropped).toBe(0)
    expect(log.watermarkMs(1, 5000)).toBe(5000)
  })

  it('stopping delivers first what was already due at the stop time', () => {
    const { log, b } = twoRegions({ lagMs: 100, durable: true })
    log.append(0, ENTRY_LIKE_STATE, 0, 1, 1, true, 0)
    // nobody called advanceTo(100); the stop at 150 must still hand over the due entry
    log.stopLink(0, 1, 150)
    expect(b.users).toEqual([1])
  })

  it('stops one direction only', () => {
    const { log, a, b } = twoRegions({ lagMs: 10, durable: true })
    log.stopLink(0, 1, 0)
    log.append(0, ENTRY_LIKE_STATE, 0, 1, 1, true, 0)
    log.append(1, ENTRY_LIKE_STATE, 0, 2, 2, true, 0)
    log.advanceTo(100)
    expect(a.users).toEqual([2])
    expect(b.users).toEqual([])
  })
})

describe('ReplicationLog volatile links (durable: false)', () => {
  it('stopLink drops what comes due while stopped; what is still in flight at resume survives', () => {
    const { log, b } = twoRegions({ lagMs: 100, durable: false })
    log.append(0, ENTRY_LIKE_STATE, 0, 1, 1, true, 0)
    log.stopLink(0, 1, 50)
    log.append(0, ENTRY_LIKE_STATE, 0, 2, 2, true, 60)
    log.advanceTo(200) // both come due while stopped: dropped
    log.append(0, ENTRY_LIKE_STATE, 0, 3, 3, true, 250) // due at 350, in flight at resume
    log.resumeLink(0, 1, 300)
    log.advanceTo(349)
    expect(b.users).toEqual([])
    log.advanceTo(350)
    expect(b.users).toEqual([3])
    expect(log.stats.dropped).toBe(2)
    expect(log.stats.applied).toBe(1)
  })

  it('resumeLink drops what came due while stopped even if nobody advanced in between', () => {
    const { log, b } = twoRegions({ lagMs: 100, durable: false })
    log.stopLink(0, 1, 0)
    log.append(0, ENTRY_LIKE_STATE, 0, 1, 1, true, 10)
    log.resumeLink(0, 1, 500)
    log.advanceTo(500)
    expect(b.users).toEqual([])
    expect(log.stats.dropped).toBe(1)
  })

  it('a durable log under the same sequence loses nothing', () => {
    const { log, b } = twoRegions({ lagMs: 100, durable: true })
    log.append(0, ENTRY_LIKE_STATE, 0, 1, 1, true, 0)
    log.stopLink(0, 1, 50)
    log.append(0, ENTRY_LIKE_STATE, 0, 2, 2, true, 60)
    log.advanceTo(200)
    log.append(0, ENTRY_LIKE_STATE, 0, 3, 3, true, 250)
    log.resumeLink(0, 1, 300)
    log.advanceTo(350)
    expect(b.users).toEqual([1, 2, 3])
    expect(log.stats.dropped).toBe(0)
  })

  it('discardUnshipped drops every unshipped entry of an origin, on every link', () => {
    const sinks = [new RecordingSink(), new RecordingSink(), new RecordingSink()]
    const log = new ReplicationLog({ origins: 3, sinks, durable: false, lagMs: (o, d) => (o === d ? undefined : 100) })
    log.append(0, ENTRY_LIKE_STATE, 0, 1, 1, true, 0)
    log.advanceTo(100) // shipped
    log.append(0, ENTRY_LIKE_STATE, 0, 2, 2, true, 150)
    log.append(0, ENTRY_LIKE_STATE, 0, 3, 3, true, 160)
    log.append(1, ENTRY_LIKE_STATE, 0, 4, 4, true, 160) // another origin: untouched
    log.discardUnshipped(0)
    log.advanceTo(10_000)
    expect((sinks[1] as RecordingSink).users).toEqual([1])
    expect((sinks[2] as RecordingSink).users).toEqual([1, 4])
    expect((sinks[0] as RecordingSink).users).toEqual([4])
    expect(log.stats.dropped).toBe(4) // 2 entries x 2 links
    expect(log.pendingFor(1)).toBe(0)
    // later writes of that origin ship normally
    log.append(0, ENTRY_LIKE_STATE, 0, 5, 5, true, 20_000)
    log.advanceTo(20_100)
    expect((sinks[1] as RecordingSink).users).toEqual([1, 5])
  })

  it('discardUnshipped is a no-op on a durable log', () => {
    const { log, b } = twoRegions({ lagMs: 100, durable: true })
    log.append(0, ENTRY_LIKE_STATE, 0, 1, 1, true, 0)
    log.discardUnshipped(0)
    log.advanceTo(100)
    expect(b.users).toEqual([1])
    expect(log.stats.dropped).toBe(0)
  })
})

describe('ReplicationLog planted drop defect', () => {
  it('drops every Nth delivered entry to the destination', () => {
    const { log, a, b } = twoRegions({ lagMs: 10 })
    log.plantDropDefect(1, 3)
    for (let i = 1; i <= 9; i++) {
      log.append(0, ENTRY_LIKE_STATE, 0, i, i, true, i)
      log.append(1, ENTRY_LIKE_STATE, 0, 100 + i, i, true, i)
    }
    log.advanceTo(1000)
    expect(b.users).toEqual([1, 2, 4, 5, 7, 8])
    // the other destination is unaffected
    expect(a.users).toHaveLength(9)
    expect(log.stats.dropped).toBe(3)
    expect(log.stats.applied).toBe(15)
  })
})

describe('ReplicationLog compaction', () => {
  it('loses no entry when the log is compacted while one link lags far behind', () => {
    // 200k entries (> 2^17, the compaction threshold), advanced one ms at a time so compaction
    // runs many times; link 0->1 lags 0 ms behind, link 0->2 lags 50 s.
    const sinks = [new RecordingSink(), new CountingSink(), new CountingSink()]
    const log = new ReplicationLog({
      origins: 1,
      sinks,
      durable: true,
      lagMs: (_origin, destination) => (destination === 0 ? undefined : destination === 1 ? 0 : 50_000),
    })
    const total = 200_000
    for (let t = 0; t < total; t++) {
      log.append(0, t % 2, t % 1000, t, t * 16, t % 3 === 0, t)
      log.advanceTo(t)
    }
    const fast = sinks[1] as CountingSink
    const slow = sinks[2] as CountingSink
    expect(fast.count).toBe(total)
    expect(fast.outOfOrder).toBe(0)
    // at t = total - 1 the slow link has delivered entries 0 .. total - 1 - 50_000
    expect(slow.count).toBe(total - 50_000)
    // compaction really ran (white-box peek): entries before the slowest cursor were dropped
    expect(compactedBase(log)).toBeGreaterThan(0)
    log.advanceTo(total + 50_000)
    expect(slow.count).toBe(total)
    expect(slow.outOfOrder).toBe(0)
    expect(slow.corrupt).toBe(0)
    expect(fast.corrupt).toBe(0)
    expect(log.pendingFor(2)).toBe(0)
  })

  it('loses no entry when more than 2^17 entries (several array growths) are appended first and delivered at once', () => {
    const sinks = [new RecordingSink(), new CountingSink()]
    const log = new ReplicationLog({ origins: 1, sinks, durable: true, lagMs: (_o, d) => (d === 1 ? 5 : undefined) })
    const total = (1 << 17) + 5000
    for (let t = 0; t < total; t++) log.append(0, t % 2, t % 1000, t, t * 16, t % 3 === 0, t)
    log.advanceTo(total + 5)
    const sink = sinks[1] as CountingSink
    expect(sink.count).toBe(total)
    expect(sink.outOfOrder).toBe(0)
    expect(sink.corrupt).toBe(0)
  })

  it('keeps a paused link complete across compactions', () => {
    const sinks = [new RecordingSink(), new CountingSink(), new CountingSink()]
    const log = new ReplicationLog({
      origins: 1,
      sinks,
      durable: true,
      lagMs: (_o, d) => (d === 0 ? undefined : 0),
    })
    log.stopLink(0, 2, 0)
    const total = 150_000
    for (let t = 0; t < total; t++) {
      log.append(0, t % 2, t % 1000, t, t * 16, t % 3 === 0, t)
      log.advanceTo(t)
    }
    log.resumeLink(0, 2, total)
    log.advanceTo(total)
    const paused = sinks[2] as CountingSink
    expect(paused.count).toBe(total)
    expect(paused.outOfOrder).toBe(0)
    expect(paused.corrupt).toBe(0)
  })
})

describe('ReplicationLog bounds', () => {
  it('keeps nothing for an origin without links (a single region): nobody will read it', () => {
    const sinks = [new RecordingSink()]
    const log = new ReplicationLog({ origins: 2, sinks, durable: true, lagMs: (origin) => (origin === 1 ? 0 : undefined) })
    for (let t = 0; t < 100_000; t++) log.append(0, ENTRY_LIKE_STATE, t % 100, t, t, true, t)
    expect(log.retainedEntries).toBe(0)
    // the other origin (the purge job) still reaches the region
    log.append(1, ENTRY_LIKE_STATE, 1, 1, 1, false, 100_000)
    log.advanceTo(100_000)
    expect(sinks[0]?.applied).toHaveLength(1)
  })

  it('compacts as links pass, even when no advance ever finds anything due', () => {
    const { log } = twoRegions({ lagMs: 100 })
    let maxRetained = 0
    for (let t = 0; t < 600_000; t++) {
      log.append(0, ENTRY_LIKE_STATE, t % 100, t, t, true, t / 10)
      if (t % 50 === 0) log.advanceTo(t / 10)
      maxRetained = Math.max(maxRetained, log.retainedEntries)
    }
    // bounded by the compaction threshold (2^17 entries) plus 100 ms of writes, not by 600k
    expect(maxRetained).toBeLessThan(140_000)
  })

  it('lets a paused link\'s backlog go past backlogMaxEntries, says so, and resyncs the destination when the link comes back', () => {
    const sinks = [new RecordingSink(), new RecordingSink()]
    const log = new ReplicationLog({ origins: 2, sinks, durable: true, backlogMaxEntries: 1000, lagMs: (o, d) => (o === d ? undefined : 10) })
    const [a, b] = sinks as [RecordingSink, RecordingSink]
    log.append(0, ENTRY_LIKE_STATE, 1, 1, 1, true, 0)
    log.advanceTo(10)
    log.stopLink(0, 1, 20)
    for (let t = 0; t < 1000; t++) log.append(0, ENTRY_LIKE_STATE, 2, t, t, true, 30 + t)
    expect(log.stats.overflows).toBe(0)
    expect(log.pendingFor(1)).toBe(1000)
    log.append(0, ENTRY_LIKE_STATE, 3, 3, 3, true, 2000)
    expect(log.stats).toMatchObject({ overflows: 1, overflowedEntries: 1001, resyncs: 0 })
    expect(log.resyncPending(1)).toBe(true)
    expect(log.resyncPending(0)).toBe(false)
    expect(log.pendingFor(1)).toBe(0)
    expect(log.watermarkMs(1, 3000)).toBe(20)
    // further writes are not kept for the overflowed link: the log compacts past it
    for (let t = 0; t < 200_000; t++) log.append(0, ENTRY_LIKE_STATE, 4, t, t, true, 3000 + t)
    expect(log.retainedEntries).toBeLessThan(70_000)
    // the link comes back: one full copy from the origin region, then delivery from the log's end
    log.resumeLink(0, 1, 300_000)
    expect(b.merges).toEqual([{ origin: 0, entries: a.applied.length }])
    expect(log.stats).toMatchObject({ overflows: 1, overflowedEntries: 201_001, resyncs: 1 })
    expect(log.resyncPending(1)).toBe(false)
    expect(b.users).toEqual([1])
    log.append(0, ENTRY_LIKE_STATE, 5, 5, 5, true, 300_000)
    log.advanceTo(300_010)
    expect(b.users).toEqual([1, 5])
    expect(log.watermarkMs(1, 300_010)).toBe(300_010)
  })

  it('a link paused below the bound catches up by replay, with no resync', () => {
    const sinks = [new RecordingSink(), new RecordingSink()]
    const log = new ReplicationLog({ origins: 2, sinks, durable: true, backlogMaxEntries: 1000, lagMs: (o, d) => (o === d ? undefined : 10) })
    log.stopLink(0, 1, 0)
    for (let t = 0; t < 1000; t++) log.append(0, ENTRY_LIKE_STATE, 2, t, t, true, t)
    log.resumeLink(0, 1, 5000)
    log.advanceTo(5000)
    expect((sinks[1] as RecordingSink).applied).toHaveLength(1000)
    expect(log.stats).toMatchObject({ overflows: 0, resyncs: 0 })
  })

  it('never caps the purge job\'s log (an origin without a replica): its entries are bounded by the like set', () => {
    const b = new RecordingSink()
    const log = new ReplicationLog({ origins: 3, sinks: [new RecordingSink(), b], durable: true, backlogMaxEntries: 10, lagMs: (o, d) => (o === d ? undefined : o === 2 ? 0 : 100) })
    log.stopLink(2, 1, 0)
    for (let t = 0; t < 100; t++) log.append(2, ENTRY_LIKE_STATE, t, t, t, false, 1)
    expect(log.stats.overflows).toBe(0)
    expect(log.pendingFor(1)).toBe(100)
    log.resumeLink(2, 1, 2)
    log.advanceTo(2)
    expect(b.applied).toHaveLength(100)
  })

  it('a volatile log is not capped: it drops what a stopped link could not deliver, as before', () => {
    const sinks = [new RecordingSink(), new RecordingSink()]
    const log = new ReplicationLog({ origins: 2, sinks, durable: false, backlogMaxEntries: 10, lagMs: (o, d) => (o === d ? undefined : 10) })
    log.stopLink(0, 1, 0)
    for (let t = 0; t < 100; t++) log.append(0, ENTRY_LIKE_STATE, 2, t, t, true, t)
    log.advanceTo(200)
    expect(log.stats).toMatchObject({ dropped: 100, overflows: 0 })
  })
})

function compactedBase(log: ReplicationLog): number {
  return (log as unknown as { logs: Array<{ base: number }> }).logs[0]?.base ?? -1
}

/** Checks every entry against how the compaction tests generate them (user = write index). */
class CountingSink implements ReplicaSink {
  count = 0
  outOfOrder = 0
  corrupt = 0
  private last = -1
  applyEntry(kind: number, video: number, user: number, stamp: number, liked: boolean): void {
    if (user !== this.last + 1) this.outOfOrder++
    this.last = user
    if (kind !== user % 2 || video !== user % 1000 || stamp !== user * 16 || liked !== (user % 3 === 0)) this.corrupt++
    this.count++
  }
  mergeFrom(): number {
    return 0
  }
}
