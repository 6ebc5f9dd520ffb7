// The capabilities document's schema: the mock server's own passes; a wrong one is refused with
// every problem named by its field (what --target-profile and the driver print, exit 2).
import { describe, expect, it } from 'vitest'
import { capabilityProblems, mockServerCapabilities } from '../../../mock-server/http/capabilities.ts'

describe('the capabilities document', () => {
  it('accepts the mock server\'s own, a minimal one, and fields a later version may add', () => {
    expect(capabilityProblems(mockServerCapabilities({ 'us-east': 'http://127.0.0.1:8080', 'us-west': null }))).toEqual([])
    expect(capabilityProblems({ version: 1 })).toEqual([])
    expect(capabilityProblems({ version: 1, likedLists: true, futureField: { anything: 1 } })).toEqual([])
  })

  it('names every problem of a wrong one by its field', () => {
    expect(capabilityProblems({ version: 2, likedLists: 'yes', staleness: 'asof', regions: { 'us east': 'http://x' }, provisioning: { path: 'world' } }).sort()).toEqual(
      [
        'version: must be 1',
        'likedLists: must be boolean',
        'staleness: must be one of "none", "asOf"',
        'regions: "us east" is not allowed here (a region name is 1 to 64 of A-Z a-z 0-9 _ - .)',
        'provisioning.path: must match pattern "^/[A-Za-z0-9_./-]*$"',
      ].sort(),
    )
    expect(capabilityProblems([])).toEqual(['(document): must be object'])
  })
})
