// Where mode http sends its requests: one base URL per region. `--target` names the first
// region's URL (the others on the following ports, as the mock server listens; ports never wrap
// past 65535) or every region as `us-east=http://…,us-west=http://…`. Load only ever goes to loopback unless the user says
// otherwise: a non-loopback target is refused without --allow-remote.
import { UsageError } from '../../errors.ts'

export interface Target {
  /** Base URL per region of the scenario, e.g. http://127.0.0.1:8080 (two regions may share one: a front door). */
  readonly urls: Readonly<Record<string, string>>
  readonly remote: boolean
  /** Whether the text named every region (region=url,…) rather than the first region's URL. */
  readonly named: boolean
}

const LOOPBACK_V4 = /^127(?:\.\d{1,3}){3}$/
/** The largest TCP port. */
const PORT_MAX = 65_535

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return host === 'localhost' || host === '::1' || LOOPBACK_V4.test(host)
}

function parseOrigin(text: string, what: string): URL {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new UsageError('LS_BAD_FLAG', `--target: ${what} ${JSON.stringify(text)} is not a URL (e.g. http://127.0.0.1:8080)`)
  }
  if (url.protocol !== 'http:') throw new UsageError('LS_BAD_FLAG', `--target: ${what} must be http:// (got ${url.protocol})`)
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') throw new UsageError('LS_BAD_FLAG', `--target: ${what} must be an origin without a path (e.g. http://127.0.0.1:8080)`)
  return url
}

export function parseTarget(text: string, { regions, allowRemote }: { regions: readonly string[]; allowRemote: boolean }): Target {
  const urls: Record<string, string> = {}
  if (text.includes('=')) {
    for (const part of text.split(',')) {
      const [region, url] = part.split('=', 2) as [string, string | undefined]
      if (!regions.includes(region.trim())) throw new UsageError('LS_BAD_FLAG', `--target: unknown region ${JSON.stringify(region)}; regions: ${regions.join(', ')}`)
      urls[region.trim()] = parseOrigin((url ?? '').trim(), region.trim()).origin
    }
    const missing = regions.filter((region) => urls[region] === undefined)
    if (missing.length > 0) throw new UsageError('LS_BAD_FLAG', `--target: no URL for ${missing.join(', ')}`)
  } else {
    const first = parseOrigin(text, 'the URL')
    const port = first.port === '' ? 80 : Number(first.port)
    // The URL setter ignores a port past 65535 and keeps the old one: a region would silently land
    // on another region's port. Refused instead, with the form that names every port.
    const lastPort = port + regions.length - 1
    if (lastPort > PORT_MAX) {
      throw new UsageError(
        'LS_BAD_FLAG',
        `--target ${text}: the ${regions.length} regions take ports ${port}..${lastPort}, past ${PORT_MAX}; give a first port of at most ${PORT_MAX - regions.length + 1}, or name each region's URL: ${regions.map((region) => `${region}=http://${first.hostname}:PORT`).join(',')}`,
      )
    }
    regions.forEach((region, i) => {
      const url = new URL(first.origin)
      url.port = String(port + i)
      urls[region] = url.origin
    })
  }
  const remote = Object.values(urls).some((url) => !isLoopbackHost(new URL(url).hostname))
  if (remote && !allowRemote) {
    throw new UsageError(
      'LS_REMOTE_TARGET',
      `--target ${text} is not on this machine; LikeStorm sends load only to loopback (127.0.0.1, ::1) unless you pass --allow-remote, because a load test against someone else's service is an attack`,
    )
  }
  return { urls, remote, named: text.includes('=') }
}

/**
 * The --target text that reaches exactly these URLs again (the replay line, config.http.target):
 * the first region's URL when the others are on the following ports, else every region's.
 */
export function formatTarget(urls: Readonly<Record<string, string>>, regions: readonly string[]): string {
  const first = urls[regions[0] as string] as string
  const consecutive = regions.every((region, i) => {
    const url = new URL(first)
    url.port = String(Number(url.port === '' ? 80 : url.port) + i)
    return urls[region] === url.origin
  })
  return consecutive ? first : regions.map((region) => `${region}=${urls[region]}`).join(',')
}

/** How many distinct regions of the target the scenario's regions reach (1: one front door for all). */
export function distinctRegionCount(urls: Readonly<Record<string, string>>): number {
  return new Set(Object.values(urls)).size
}
