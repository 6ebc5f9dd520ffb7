// Where the k6 script sends each region's requests. A target is the first region's origin (the
// others on the following ports, as the mock server listens: 8080, 8081, …) or one origin per
// region as `us-east=http://…,us-west=http://…`. Pure string work, no URL class: the k6 script
// bundles this module to read a TARGET override at run time (k6's runtime has no WHATWG URL).

export const DEFAULT_TARGET = 'http://127.0.0.1:8080'

const ORIGIN = /^(https?):\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?\/?$/

export type TargetUrls = { readonly ok: true; readonly urls: Readonly<Record<string, string>> } | { readonly ok: false; readonly problem: string }

interface Origin {
  readonly scheme: string
  readonly host: string
  readonly port: number
}

function parseOrigin(text: string): Origin | undefined {
  const match = ORIGIN.exec(text.trim())
  if (match === null) return undefined
  const scheme = match[1] as string
  const port = match[3] === undefined ? (scheme === 'https' ? 443 : 80) : Number(match[3])
  if (!(port >= 1 && port <= 65535)) return undefined
  return { scheme, host: match[2] as string, port }
}

function originText(origin: Origin): string {
  return `${origin.scheme}://${origin.host}:${origin.port}`
}

/** Base URL per region, or the problem with the text (naming what is allowed). */
export function regionUrls(text: string, regions: readonly string[]): TargetUrls {
  const example = `e.g. ${DEFAULT_TARGET} or ${regions.map((region, i) => `${region}=http://127.0.0.1:${8080 + i}`).join(',')}`
  if (text.indexOf('=') < 0) {
    const first = parseOrigin(text)
    if (first === undefined) return { ok: false, problem: `${JSON.stringify(text)} is not an http(s) origin without a path (${example})` }
    if (first.port + regions.length - 1 > 65535) return { ok: false, problem: `${JSON.stringify(text)}: the regions' consecutive ports run past 65535` }
    const urls: Record<string, string> = {}
    regions.forEach((region, i) => {
      urls[region] = originText({ ...first, port: first.port + i })
    })
    return { ok: true, urls }
  }
  const urls: Record<string, string> = {}
  for (const part of text.split(',')) {
    const at = part.indexOf('=')
    const region = part.slice(0, at).trim()
    if (regions.indexOf(region) < 0) return { ok: false, problem: `unknown region ${JSON.stringify(region)}; regions: ${regions.join(', ')}` }
    const origin = parseOrigin(part.slice(at + 1))
    if (origin === undefined) return { ok: false, problem: `${region}: ${JSON.stringify(part.slice(at + 1).trim())} is not an http(s) origin without a path (${example})` }
    urls[region] = originText(origin)
  }
  const missing = regions.filter((region) => urls[region] === undefined)
  if (missing.length > 0) return { ok: false, problem: `no URL for ${missing.join(', ')} (${example})` }
  return { ok: true, urls }
}
