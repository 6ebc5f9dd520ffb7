// The fault timeline: typed events with a start and an end, in scenario seconds. Overload and
// flash crowds change the traffic the world generates; outages, partitions, slow caches and
// takedowns are switched on the system under test; a lossy network loses a share of the requests
// between the clients and a region (or their answers) on the way; purges are jobs the system runs
// at `startS` (the window until `endS` is the purge wave shown on reports).

export type FaultSpec =
  | { readonly kind: 'overload'; readonly region: string; readonly factor: number; readonly startS: number; readonly endS: number }
  | { readonly kind: 'region-outage'; readonly region: string; readonly startS: number; readonly endS: number }
  | { readonly kind: 'partition'; readonly a: string; readonly b: string; readonly startS: number; readonly endS: number }
  | { readonly kind: 'slow-cache'; readonly region: string; readonly latencyMs: number; readonly startS: number; readonly endS: number }
  /**
   * This share of the requests between the clients and the region is lost: half before the system
   * sees them, half after it answered (the answer is lost). Either way the client hears nothing:
   * an indeterminate outcome it retries with the same idempotency key.
   */
  | { readonly kind: 'network-loss'; readonly region: string; readonly share: number; readonly startS: number; readonly endS: number }
  | { readonly kind: 'bot-purge'; readonly startS: number; readonly endS: number }
  | { readonly kind: 'inactive-purge'; readonly idleDays: number; readonly startS: number; readonly endS: number }
  | { readonly kind: 'takedown'; readonly videoRanks: readonly number[]; readonly startS: number; readonly endS: number }
  | {
      readonly kind: 'ddos'
      readonly region: string
      /** Attacking accounts, all inside `ipBlocks` /24 blocks. */
      readonly accounts: number
      readonly ipBlocks: number
      /** Requests per second per attacking account. */
      readonly requestsPerS: number
      readonly startS: number
      readonly endS: number
    }

export type FaultKind = FaultSpec['kind']

export const FAULT_KINDS: readonly FaultKind[] = [
  'overload',
  'region-outage',
  'partition',
  'slow-cache',
  'network-loss',
  'bot-purge',
  'inactive-purge',
  'takedown',
  'ddos',
]

/** One-line description, e.g. "overload us-east x3 [30s-90s]". */
export function describeFault(fault: FaultSpec): string {
  const window = `[${fault.startS}s-${fault.endS}s]`
  switch (fault.kind) {
    case 'overload':
      return `overload ${fault.region} x${fault.factor} ${window}`
    case 'region-outage':
      return `region-outage ${fault.region} ${window}`
    case 'partition':
      return `partition ${fault.a}<->${fault.b} ${window}`
    case 'slow-cache':
      return `slow-cache ${fault.region} +${fault.latencyMs}ms ${window}`
    case 'network-loss':
      return `network-loss ${fault.region} ${formatShare(fault.share)} lost ${window}`
    case 'bot-purge':
      return `bot-purge ${window}`
    case 'inactive-purge':
      return `inactive-purge idle>${fault.idleDays}d ${window}`
    case 'takedown':
      return `takedown ${fault.videoRanks.length} video(s) ${window}`
    case 'ddos':
      return `ddos ${fault.region} ${fault.accounts} accounts x ${fault.requestsPerS} req/s from ${fault.ipBlocks} /24 ${window}`
  }
}

/** Every problem with a timeline (empty when valid). */
export function validateFaults(faults: readonly FaultSpec[], { durationS, regionIds, videos }: { durationS: number; regionIds: readonly string[]; videos: number }, prefix = 'faults'): string[] {
  const problems: string[] = []
  const regions = new Set(regionIds)
  faults.forEach((fault, i) => {
    const at = `${prefix}[${i}]`
    if (!FAULT_KINDS.includes(fault.kind)) {
      problems.push(`${at}.kind: unknown fault kind ${String((fault as { kind: unknown }).kind)}; allowed: ${FAULT_KINDS.join(', ')}`)
      return
    }
    if (!(fault.startS >= 0 && fault.endS >= fault.startS && fault.endS <= durationS)) {
      problems.push(`${at}: needs 0 <= startS <= endS <= duration (${durationS}s), got ${fault.startS}s-${fault.endS}s`)
    }
    const region = (field: string, id: string): void => {
      if (!regions.has(id)) problems.push(`${at}.${field}: unknown region ${id}; known: ${regionIds.join(', ')}`)
    }
    switch (fault.kind) {
      case 'overload':
        region('region', fault.region)
        if (!(fault.factor > 1 && fault.factor <= 100)) problems.push(`${at}.factor: must be in (1, 100], got ${fault.factor}`)
        break
      case 'region-outage':
        region('region', fault.region)
        break
      case 'partition':
        region('a', fault.a)
        region('b', fault.b)
        if (fault.a === fault.b) problems.push(`${at}: a partition needs two different regions`)
        break
      case 'slow-cache':
        region('region', fault.region)
        if (!(fault.latencyMs > 0)) problems.push(`${at}.latencyMs: must be > 0`)
        break
      case 'network-loss':
        region('region', fault.region)
        if (!(typeof fault.share === 'number' && fault.share > 0 && fault.share <= 1)) problems.push(`${at}.share: must be in (0, 1], got ${String(fault.share)}`)
        break
      case 'inactive-purge':
        if (!(fault.idleDays > 0)) problems.push(`${at}.idleDays: must be > 0`)
        break
      case 'takedown':
        if (fault.videoRanks.length === 0) problems.push(`${at}.videoRanks: name at least one video rank`)
        for (const rank of fault.videoRanks) {
          if (!Number.isInteger(rank) || rank < 1 || rank > videos) problems.push(`${at}.videoRanks: rank ${rank} is not in 1..${videos}`)
        }
        break
      case 'ddos':
        region('region', fault.region)
        if (!(Number.isInteger(fault.accounts) && fault.accounts > 0)) problems.push(`${at}.accounts: must be a positive whole number`)
        if (!(Number.isInteger(fault.ipBlocks) && fault.ipBlocks > 0)) problems.push(`${at}.ipBlocks: must be a positive whole number`)
        if (!(fault.requestsPerS > 0 && fault.requestsPerS <= 1000)) problems.push(`${at}.requestsPerS: must be in (0, 1000]`)
        break
      case 'bot-purge':
        break
    }
  })
  return problems
}

/** A share as a percentage for a label: 0.2 -> "20%", 0.125 -> "12.5%". */
function formatShare(share: number): string {
  return `${Math.round(share * 1000) / 10}%`
}

/** Product of the overload factors active for a region at time t (1 when none). */
export function overloadFactorAt(faults: readonly FaultSpec[], region: string, tMs: number): number {
  let factor = 1
  for (const fault of faults) {
    if (fault.kind === 'overload' && fault.region === region && tMs >= fault.startS * 1000 && tMs < fault.endS * 1000) factor *= fault.factor
  }
  return factor
}

/** End of the last fault that disturbs the system (outage, partition, slow cache, network loss, overload, takedown; a purge counts at its start), ms, or 0. */
export function lastDisturbanceEndMs(faults: readonly FaultSpec[]): number {
  let end = 0
  for (const fault of faults) {
    if (fault.kind === 'bot-purge' || fault.kind === 'inactive-purge') end = Math.max(end, fault.startS * 1000)
    else end = Math.max(end, fault.endS * 1000)
  }
  return end
}

/** The attacking accounts of ddos faults, as flood farms of the world. */
export function ddosFarms(faults: readonly FaultSpec[]): Array<{
  kind: 'flood'
  accounts: number
  ipBlocks: number
  requestsPerS: number
  region: string
  startS: number
  burstS: number
}> {
  const farms = []
  for (const fault of faults) {
    if (fault.kind !== 'ddos') continue
    farms.push({
      kind: 'flood' as const,
      accounts: fault.accounts,
      ipBlocks: fault.ipBlocks,
      requestsPerS: fault.requestsPerS,
      region: fault.region,
      startS: fault.startS,
      burstS: fault.endS - fault.startS,
    })
  }
  return farms
}
