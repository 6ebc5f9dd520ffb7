// notifications: a creator's inbox is judged even when full, by what it must hold: every like
// first requested after the oldest delivery it shows. A service that shows every creator the
// newest likes site-wide fails (entries about other creators' videos, and their own likes
// missing); one that lost a creator's newest like fails though the inbox is full; one that let go
// of the oldest likes of a full inbox passes.
import { describe, expect, it } from 'vitest'
import type { FinalSnapshot, InboxEntry } from '../../../sim/history.ts'
import { checkNotifications } from '../../../sim/checks/notifications.ts'
import { run } from '../../helpers/runs.ts'
import { contextOf, copyHistory } from './context.ts'

describe('notifications', () => {
  const outcome = run('baseline', { scale: 0.25 })
  const { population } = outcome
  const final = outcome.history.final as FinalSnapshot
  const withInboxes = (inboxes: ReadonlyMap<number, readonly InboxEntry[]>) => {
    const history = copyHistory(outcome.history)
    history.final = { ...final, inboxes }
    return contextOf(outcome, { history })
  }
  /** A creator whose inbox is full, and its entries oldest delivery first. */
  const fullInbox = (): { creator: number; entries: InboxEntry[] } => {
    for (const [creator, inbox] of final.inboxes) {
      if (inbox.length >= final.inboxMax) return { creator, entries: [...inbox].sort((a, b) => a.deliveredAtMs - b.deliveredAtMs) }
    }
    throw new Error('no full inbox in the run')
  }

  it('passes on robust, judging full inboxes too', () => {
    const verdict = checkNotifications(contextOf(outcome))
    expect(verdict.status).toBe('pass')
    expect(verdict.values['fullInboxes']).toBeGreaterThan(0)
  })

  it("fails a service that shows every creator the newest likes site-wide, naming a foreign entry and a creator's own missing like", () => {
    const everything = [...final.inboxes.values()].flat().sort((a, b) => b.deliveredAtMs - a.deliveredAtMs)
    const newest = everything.slice(0, final.inboxMax)
    const verdict = checkNotifications(withInboxes(new Map([...final.inboxes.keys()].map((creator) => [creator, newest]))))
    expect(verdict.status).toBe('fail')
    expect(verdict.values['foreignEntries']).toBeGreaterThan(0)
    expect(verdict.values['missing']).toBeGreaterThan(0)
    const foreign = verdict.examples.find((e) => e.message.includes('a video of'))
    expect(foreign?.message).toMatch(/^u_\w+'s notifications show u_\w+'s like of v_\w+, a video of u_\w+: notifications not kept per creator$/)
    const missing = verdict.examples.find((e) => e.message.includes('never reached'))
    expect(missing?.message).toContain(missing?.videoId as string)
    expect(missing?.message).toContain(missing?.userId as string)
  })

  it("fails a full inbox that lost its creator's newest like", () => {
    const { creator, entries } = fullInbox()
    const dropped = entries[entries.length - 1] as InboxEntry
    // Still full: the oldest entry twice, the newest gone.
    const lossy = [entries[0] as InboxEntry, ...entries.slice(0, -1)].reverse()
    const inboxes = new Map<number, readonly InboxEntry[]>(final.inboxes)
    inboxes.set(creator, lossy)
    const verdict = checkNotifications(withInboxes(inboxes))
    expect(verdict.status).toBe('fail')
    expect(verdict.values['missing']).toBe(1)
    expect(verdict.examples[0]?.message).toContain(`${population.userIds.get(dropped.fromUser)}'s like of ${population.videoIds.get(dropped.video)}`)
    expect(verdict.examples[0]?.message).toContain('though it came after the oldest one their full inbox shows')
  })

  it('passes a full inbox that let go of its oldest like', () => {
    const { creator, entries } = fullInbox()
    // Still full: the newest entry twice, the oldest gone (as a newer delivery would evict it).
    const evicted = [...entries.slice(1), entries[entries.length - 1] as InboxEntry].reverse()
    const inboxes = new Map<number, readonly InboxEntry[]>(final.inboxes)
    inboxes.set(creator, evicted)
    const verdict = checkNotifications(withInboxes(inboxes))
    expect(verdict.status).toBe('pass')
  })
})
