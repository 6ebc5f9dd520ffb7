// After a run against a --target, the summary says in one line what the target offered (and then
// how that was found out), so a not-applicable check's reason is visible where the verdict is.
import { describe, expect, it } from 'vitest'
import { targetLines } from '../../cli/commands/run-http.ts'
import type { RunResult, TargetCapabilityRecord } from '../../result/result.ts'

const resultWith = (capabilities: TargetCapabilityRecord | undefined): RunResult => ({ config: { http: { capabilities } } }) as unknown as RunResult

const PROBED: TargetCapabilityRecord = {
  source: 'probed',
  regions: { 'us-east': 'http://127.0.0.1:8080' },
  distinctRegions: 1,
  likedLists: false,
  likeStates: 'read-backs',
  notifications: false,
  world: 'none',
  staleness: 'asOf',
  admin: 'none',
  clock: { by: 'asOf', uncertaintyWallMs: 1.234 },
  notes: ['no capabilities document at http://127.0.0.1:8080/.well-known/likestorm.json (answered 404): probed what a few reads show, assumed the minimum for the rest'],
}

describe('the summary\'s target lines', () => {
  it('say what a --target offered, then the notes', () => {
    expect(targetLines(resultWith(PROBED))).toEqual([
      'probed (no capabilities document): 1 region, like states read back pair by pair, answers carry asOfMs, clock calibrated by asOf to ±1.2 ms, ids on first use, no notifications, no admin API',
      PROBED.notes[0],
    ])
    expect(targetLines(resultWith({ ...PROBED, source: 'document', distinctRegions: 4, likeStates: 'lists', staleness: 'none', clock: { by: 'none', uncertaintyWallMs: null }, world: 'loaded', notifications: true, notes: [] }))).toEqual([
      'its capabilities document: 4 regions, like states from liked lists, answers carry no asOfMs, clock not calibrated, holds the world, notifications, no admin API',
    ])
  })

  it('are absent for the embedded server and for results without capabilities', () => {
    expect(targetLines(resultWith({ ...PROBED, source: 'embedded' }))).toEqual([])
    expect(targetLines(resultWith(undefined))).toEqual([])
  })
})
