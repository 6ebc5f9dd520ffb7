// Seeded hostile traffic for the raw-socket test (hostile.test.ts): connections ("scripts") of one
// to seven requests written back to back (pipelined), each request well framed but bad in content,
// or broken at the HTTP level, or cut short. Every write names an unknown video, so even a request
// the server wrongly accepted could not change a count: the test's "no count changed" is then about
// the server, not about luck.
import { requestBytes, type RawRequest } from './raw-http.ts'
import { USERS, VIDEOS } from './support.ts'

export type Rng = () => number

/**
 * answered: well framed; the server answers it (and may announce a close, e.g. after a body it
 * could not read). closes: broken HTTP or Connection: close; the server closes, answering or not.
 * partial: cut short; the client closes, or waits for the server's timeout.
 */
export type UnitKind = 'answered' | 'closes' | 'partial'

export type Category =
  | 'read'
  | 'bad-json'
  | 'huge-id'
  | 'huge-body'
  | 'control-chars'
  | 'traversal'
  | 'wrong-method'
  | 'header-abuse'
  | 'framing'
  | 'admin-token'
  | 'query'
  | 'http-1.0'

export interface Unit {
  readonly category: Category
  readonly kind: UnitKind
  /** As the response reader must treat it (a HEAD response has no body). */
  readonly method: string
  /** A request that would change state if accepted: it must never get a 2xx. */
  readonly write: boolean
  /**
   * The server may close after it with bytes of the client still unread (a body it could not
   * read, broken framing, a cut): TCP then resets the connection, which can destroy answers the
   * client has not read yet, this one's and those before it.
   */
  readonly mayReset: boolean
  readonly bytes: Buffer
}

/** answers: every request answered, then the client closes; the others as their names say. */
export type Ending = 'answers' | 'server-closes' | 'abrupt-after-answers' | 'abrupt-now'

export interface Script {
  readonly region: string
  readonly units: readonly Unit[]
  readonly ending: Ending
  /** Offsets at which the bytes are split into separate writes (parser state across packets). */
  readonly splits: readonly number[]
}

export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T
const chance = (rng: Rng, p: number): boolean => rng() < p
const between = (rng: Rng, low: number, high: number): number => low + Math.floor(rng() * (high - low + 1))

function text(rng: Rng, length: number, alphabet: string): string {
  let out = ''
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(rng() * alphabet.length)]
  return out
}

const HOST: readonly [string, string] = ['Host', 'x']
const JSON_TYPE: readonly [string, string] = ['Content-Type', 'application/json']
const CLOSE: readonly [string, string] = ['Connection', 'close']

function unit(category: Category, kind: UnitKind, request: RawRequest, write = isWrite(request.method)): Unit {
  return { category, kind, method: request.method, write, mayReset: kind !== 'answered' || request.body !== undefined, bytes: requestBytes(request) }
}

function raw(category: Category, bytes: string, method = 'GET'): Unit {
  return { category, kind: 'closes', method, write: isWrite(method), mayReset: true, bytes: Buffer.from(bytes, 'latin1') }
}

function isWrite(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS', 'TRACE'].includes(method)
}

/** A video no write can count against: unknown, or not an id at all. */
function poisonVideo(rng: Rng): string {
  return pick(rng, ['v99', `zz_${text(rng, 6, 'abcdef0123')}`, 'v%00', '%2e%2e', 'v01%0A', encodeURIComponent('vidéo'), 'x'.repeat(between(rng, 129, 400))])
}

// ---- answered: well framed ---------------------------------------------------------------------

function read(rng: Rng): Unit {
  const target = pick(rng, [
    `/v1/videos/${pick(rng, VIDEOS)}`,
    `/v1/users/${pick(rng, USERS)}/likes/${pick(rng, VIDEOS)}`,
    `/v1/users/${pick(rng, USERS)}/likes?limit=${between(rng, 1, 5)}`,
    `/v1/users/${pick(rng, USERS)}/notifications`,
    '/healthz',
    '/readyz',
    '/v1/videos/v01',
  ])
  const rare = chance(rng, 0.02) ? pick(rng, ['/metrics', '/openapi.json']) : target
  return unit('read', 'answered', { method: pick(rng, ['GET', 'GET', 'GET', 'HEAD']), target: rare, headers: [HOST] })
}

const BAD_BODIES: ReadonlyArray<(rng: Rng) => string | Buffer> = [
  () => '{"userId": "u01"',
  (rng) => text(rng, between(rng, 1, 60), '{}[]":,0123456789abcnul\\ \t'),
  () => '{"userId":"u01","userId":"u02"}',
  () => '{"__proto__": {"admin": true}, "userId": "u01"}',
  () => '{"constructor": {"prototype": {"admin": true}}, "userId": "u01"}',
  () => `${'['.repeat(3000)}${']'.repeat(3000)}`,
  (rng) => `{"userId": "u01", "watchMs": ${pick(rng, ['1e309', '-1', '1.5', '9007199254740993', '"100"', 'null', '[]', '86400001'])}}`,
  () => Buffer.from('{"userId":"u0\u00001"}', 'latin1'),
  () => '{"userId":"u01\\u0000"}',
  () => Buffer.from([0x7b, 0x22, 0x75, 0x73, 0x65, 0x72, 0x49, 0x64, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
  () => '\uFEFF{"userId":"u01"}',
  () => '',
  () => 'null',
  () => '"u01"',
  () => '{"userId":"u01","extra":1}',
  (rng) => JSON.stringify({ userId: text(rng, 8, '\u0001\u0002\u001b\u007f\r\n\t') }),
]

function badJson(rng: Rng): Unit {
  const route = pick(rng, ['likes', 'views'])
  const contentType = pick(rng, ['application/json', 'application/json; charset=utf-8', 'application/json;charset=UTF-8'])
  return unit('bad-json', 'answered', {
    method: 'POST',
    target: `/v1/videos/${poisonVideo(rng)}/${route}`,
    headers: [HOST, ['Content-Type', contentType]],
    body: pick(rng, BAD_BODIES)(rng),
    chunked: chance(rng, 0.2),
  })
}

function hugeId(rng: Rng): Unit {
  const long = 'x'.repeat(between(rng, 129, 12_000))
  return pick(rng, [
    () => unit('huge-id', 'answered', { method: 'GET', target: `/v1/videos/${long}`, headers: [HOST] }),
    () => unit('huge-id', 'answered', { method: 'GET', target: `/v1/users/${long}/likes/${pick(rng, VIDEOS)}`, headers: [HOST] }),
    () => unit('huge-id', 'answered', { method: 'POST', target: `/v1/videos/${poisonVideo(rng)}/likes`, headers: [HOST, JSON_TYPE], body: JSON.stringify({ userId: long }) }),
    () => unit('huge-id', 'answered', { method: 'POST', target: `/v1/videos/${poisonVideo(rng)}/likes`, headers: [HOST, JSON_TYPE, ['Idempotency-Key', long]], body: '{"userId":"u01"}' }),
    // Over the 16 KiB of headers: 431, then closed.
    () => unit('huge-id', 'closes', { method: 'GET', target: `/v1/videos/${'x'.repeat(between(rng, 17_000, 30_000))}`, headers: [HOST, CLOSE] }),
  ])()
}

function hugeBody(rng: Rng): Unit {
  const pad = 'p'.repeat(between(rng, 16_385, 40_000))
  return unit('huge-body', 'answered', {
    method: 'POST',
    target: `/v1/videos/${poisonVideo(rng)}/${pick(rng, ['likes', 'views'])}`,
    headers: [HOST, JSON_TYPE],
    body: JSON.stringify({ userId: pick(rng, USERS), pad }),
    chunked: chance(rng, 0.3),
  })
}

function controlChars(rng: Rng): Unit {
  const encoded = pick(rng, ['%00', '%0d%0a', '%1b', '%7f', '%09', '%0A', '%C0%80'])
  const rawChar = pick(rng, ['\x00', '\x01', '\x1b', '\x7f', '\r', '\n', '\x0b', '\xe9'])
  return pick(rng, [
    () => unit('control-chars', 'answered', { method: 'GET', target: `/v1/videos/v0${encoded}1`, headers: [HOST] }),
    () => unit('control-chars', 'answered', { method: 'GET', target: `/v1/users/u0${encoded}1/likes`, headers: [HOST] }),
    () => unit('control-chars', 'answered', { method: 'GET', target: '/healthz', headers: [HOST, ['X-Tab', 'a\tb'], ['X-Latin', 'caf\xe9']] }),
    () => raw('control-chars', `GET /v1/videos/v0${rawChar}1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
    () => raw('control-chars', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Bad: a${rawChar === '\r' || rawChar === '\n' ? '\x00' : rawChar}b\r\nConnection: close\r\n\r\n`),
    () => raw('control-chars', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-${rawChar === '\r' || rawChar === '\n' ? '\x01' : rawChar}: 1\r\nConnection: close\r\n\r\n`),
  ])()
}

function traversal(rng: Rng): Unit {
  const target = pick(rng, [
    '/v1/videos/../admin/v1/state',
    '/v1/videos/..%2f..%2fadmin%2fv1%2fstate',
    '/v1/videos/%2e%2e/%2e%2e/admin/v1/state',
    '/admin/v1/../../v1/videos/v01',
    '/./v1/videos/v01',
    '//v1//videos//v01',
    '/v1/videos/v01/../../../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/v1/videos/v01%2f..%2f..%2fadmin',
    '/..\\..\\windows\\win.ini',
    '/v1/users/u01/likes/..%252f..%252fadmin',
    '/metrics/../admin/v1/state',
    `http://x${pick(rng, ['/admin/v1/state', '/v1/videos/v01', '/../etc/passwd'])}`,
  ])
  return unit('traversal', 'answered', { method: pick(rng, ['GET', 'GET', 'HEAD', 'DELETE']), target, headers: [HOST] })
}

function wrongMethod(rng: Rng): Unit {
  return pick(rng, [
    () => unit('wrong-method', 'answered', { method: pick(rng, ['PUT', 'PATCH', 'OPTIONS', 'TRACE', 'POST']), target: `/v1/videos/${pick(rng, VIDEOS)}`, headers: [HOST] }),
    () => unit('wrong-method', 'answered', { method: pick(rng, ['GET', 'PUT', 'PATCH', 'HEAD']), target: `/v1/videos/${poisonVideo(rng)}/likes`, headers: [HOST] }),
    () => unit('wrong-method', 'answered', { method: pick(rng, ['POST', 'PUT']), target: `/v1/videos/${poisonVideo(rng)}/likes/u01`, headers: [HOST, JSON_TYPE], body: '{}' }),
    () => unit('wrong-method', 'answered', { method: pick(rng, ['DELETE', 'PUT']), target: `/v1/users/${pick(rng, USERS)}/likes/${poisonVideo(rng)}`, headers: [HOST] }),
    () => unit('wrong-method', 'answered', { method: pick(rng, ['PROPFIND', 'LINK', 'M-SEARCH', 'OPTIONS']), target: pick(rng, ['*', '/healthz', '/v1/videos/v01']), headers: [HOST] }),
    () => raw('wrong-method', `${pick(rng, ['FOO', 'get', 'G\x00T', 'GETT', 'DELETEX', '\x16\x03\x01'])} /v1/videos/v01 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
    () => raw('wrong-method', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'),
    () => raw('wrong-method', 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'),
  ])()
}

function headerAbuse(rng: Rng): Unit {
  const answered = (headers: ReadonlyArray<readonly [string, string]>, request: Partial<RawRequest> = {}): Unit =>
    unit('header-abuse', 'answered', { method: 'GET', target: `/v1/videos/${pick(rng, VIDEOS)}`, headers, ...request })
  const write = { method: 'POST', target: `/v1/videos/${poisonVideo(rng)}/likes`, body: '{"userId":"u01"}' }
  return pick(rng, [
    () => answered([HOST, ['Host', 'evil.example']]),
    () => answered([]),
    () => answered([['Host', pick(rng, ['a b', 'x/y', 'user@host', 'h:99999999', 'évil', '[::1', 'a\tb'])]]),
    () => answered([HOST, ['Expect', pick(rng, ['garbage', '200-ok', '100-continue-please'])]]),
    () => answered([HOST, JSON_TYPE, ['Expect', '100-continue']], write),
    () => answered([HOST, JSON_TYPE, ['Content-Encoding', pick(rng, ['gzip', 'br', 'deflate', 'gzip, identity'])]], write),
    () => answered([HOST, JSON_TYPE, ['Content-Type', 'text/plain']], write),
    () => answered([HOST, JSON_TYPE, ['Idempotency-Key', 'k1'], ['Idempotency-Key', 'k2']], write),
    () => answered([HOST, ['X-LikeStorm-Region', 'us-east'], ['X-LikeStorm-Region', 'eu-west']]),
    () => answered([HOST, ['X-LikeStorm-Region', pick(rng, ['mars', '', 'US-EAST', '../eu-west', 'r'.repeat(80)])]]),
    () => answered([HOST, ...Array.from({ length: between(rng, 100, 1000) }, (_, i) => [`X-H${i}`, 'v'] as const)]),
    () => answered([HOST, ['X-Long', 'v'.repeat(between(rng, 1000, 12_000))]]),
    () => answered([HOST, ['Connection', 'Upgrade, close'], ['Upgrade', 'websocket']]),
    () => unit('header-abuse', 'closes', { method: 'GET', target: '/healthz', headers: [HOST, ['X-Big', 'v'.repeat(between(rng, 17_000, 40_000))], CLOSE] }),
    () => unit('header-abuse', 'closes', { method: 'GET', target: '/healthz', headers: [HOST, ...Array.from({ length: 3000 }, (_, i) => [`X-Many-${i}`, 'v'] as const), CLOSE] }),
    () => raw('header-abuse', `GET /healthz HTTP/1.1\r\nHost: x\r\n${pick(rng, ['X Y: 1', 'X(: 1', 'É: 1', ': empty', 'NoColon', 'X-A : 1', 'X-A: a\r\n b'])}\r\nConnection: close\r\n\r\n`),
    () => raw('header-abuse', 'GET /healthz HTTP/1.1\nHost: x\nConnection: close\n\n'),
  ])()
}

function framing(rng: Rng): Unit {
  const head = (extra: string): string => `POST /v1/videos/${poisonVideo(rng)}/likes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${extra}Connection: close\r\n\r\n`
  return pick(rng, [
    () => raw('framing', `${head('Content-Length: 16\r\nTransfer-Encoding: chunked\r\n')}10\r\n{"userId":"u01"}\r\n0\r\n\r\n`, 'POST'),
    () => raw('framing', `${head('Transfer-Encoding: chunked\r\nContent-Length: 16\r\n')}{"userId":"u01"}`, 'POST'),
    () => raw('framing', `${head('Content-Length: 16\r\nContent-Length: 17\r\n')}{"userId":"u01"}`, 'POST'),
    () => raw('framing', `${head(`Content-Length: ${pick(rng, ['abc', '-1', '1e3', '+16', '0x10', '16 16', '99999999999999999999'])}\r\n`)}{"userId":"u01"}`, 'POST'),
    () => raw('framing', `${head(`Transfer-Encoding: ${pick(rng, ['gzip', 'identity', 'chunked, gzip', 'chunked\r\nTransfer-Encoding: chunked', 'xchunked'])}\r\n`)}{"userId":"u01"}`, 'POST'),
    () => raw('framing', `${head('Transfer-Encoding: chunked\r\n')}${pick(rng, ['zz\r\n', 'FFFFFFFFFFFFFFFFFF\r\n', '5\r\nhelloXX', '-1\r\n', '3;\x00=1\r\nabc\r\n'])}`, 'POST'),
    () => unit('framing', 'answered', { method: 'POST', target: `/v1/videos/${poisonVideo(rng)}/likes`, headers: [HOST, JSON_TYPE], body: '{"userId":"u01"}', chunked: true }),
    () => unit('framing', 'answered', { method: 'POST', target: `/v1/videos/${poisonVideo(rng)}/likes`, headers: [HOST, JSON_TYPE, ['Content-Length', '0']] }),
    () => ({ ...raw('framing', `POST /v1/videos/${poisonVideo(rng)}/likes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n10;ext=1\r\n{"userId":"u01"}\r\n0\r\nX-Trailer: 1\r\n\r\n`, 'POST'), kind: 'answered' as const }),
  ])()
}

function adminToken(rng: Rng): Unit {
  const authorization = pick(rng, [undefined, '', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer wrong-token', `Bearer ${'t'.repeat(4000)}`, 'Bearer é', 'bearer  x  y'])
  const headers: Array<readonly [string, string]> = [HOST, JSON_TYPE]
  if (authorization !== undefined) headers.push(['Authorization', authorization])
  if (chance(rng, 0.2)) headers.push(['Authorization', 'Bearer another'])
  const [method, target, body] = pick(rng, [
    ['GET', '/admin/v1/state', undefined],
    ['GET', '/admin/v1/directory?limit=5', undefined],
    ['POST', '/admin/v1/faults', '{"kind":"region-outage","action":"start","region":"us-east"}'],
    ['POST', '/admin/v1/purges/bot', '{}'],
    ['POST', '/admin/v1/purges/inactive', '{"idleDays":0}'],
    ['POST', '/admin/v1/reset', '{"seed":1}'],
    ['POST', '/admin/v1/takedowns', '{"videoIds":["v01"]}'],
    ['DELETE', '/admin/v1/takedowns/v01', undefined],
  ] as const)
  // Refused for want of the token, whatever the method: every admin request counts as a write.
  return unit('admin-token', 'answered', { method, target, headers, ...(body === undefined ? {} : { body }) }, true)
}

function query(rng: Rng): Unit {
  const params = pick(rng, ['?x=1', '?limit=1&limit=2', '?__proto__=1', '?constructor=1', '?cursor=%00', '?a[b]=c', '?&&&=&=', '?%zz', `?q=${'q'.repeat(between(rng, 100, 8000))}`, '?limit=-1', '?limit=1e9', '?fields=*'])
  const target = pick(rng, [`/v1/videos/${pick(rng, VIDEOS)}`, `/v1/users/${pick(rng, USERS)}/likes`, `/v1/users/${pick(rng, USERS)}/notifications`, '/healthz', '/readyz', '/metrics'])
  return unit('query', 'answered', { method: 'GET', target: `${target}${params}`, headers: [HOST] })
}

function http10(rng: Rng): Unit {
  return pick(rng, [
    () => unit('http-1.0', 'closes', { method: 'GET', target: `/v1/videos/${pick(rng, VIDEOS)}`, headers: [], version: 'HTTP/1.0' }),
    () => unit('http-1.0', 'closes', { method: 'POST', target: `/v1/videos/${poisonVideo(rng)}/likes`, headers: [JSON_TYPE], body: '{"userId":"u01"}', version: 'HTTP/1.0' }),
    () => raw('http-1.0', 'GET /\r\n\r\n'),
  ])()
}

const ANSWERED_GENERATORS: ReadonlyArray<readonly [number, (rng: Rng) => Unit]> = [
  [14, read],
  [12, badJson],
  [5, hugeId],
  [3, hugeBody],
  [8, controlChars],
  [6, traversal],
  [8, wrongMethod],
  [12, headerAbuse],
  [5, framing],
  [6, adminToken],
  [8, query],
]
const WEIGHT_TOTAL = ANSWERED_GENERATORS.reduce((sum, [weight]) => sum + weight, 0)

/** Any unit; `answeredOnly` draws again until it is one the server answers and keeps the connection for. */
function anyUnit(rng: Rng): Unit {
  let roll = rng() * WEIGHT_TOTAL
  for (const [weight, generate] of ANSWERED_GENERATORS) {
    roll -= weight
    if (roll < 0) return generate(rng)
  }
  return read(rng)
}

function answeredUnit(rng: Rng): Unit {
  for (;;) {
    const drawn = anyUnit(rng)
    if (drawn.kind === 'answered') return drawn
  }
}

/** The last unit of a script: anything, an HTTP/1.0 request, or a well-framed one cut short. */
function lastUnit(rng: Rng): Unit {
  const roll = rng()
  if (roll < 0.04) return http10(rng)
  if (roll < 0.16) {
    const whole = answeredUnit(rng)
    return { ...whole, kind: 'partial', mayReset: true, bytes: whole.bytes.subarray(0, between(rng, 1, whole.bytes.length - 1)) }
  }
  return anyUnit(rng)
}

export function script(rng: Rng, regions: readonly string[]): Script {
  const count = between(rng, 1, 7)
  const units = [...Array.from({ length: count - 1 }, () => answeredUnit(rng)), lastUnit(rng)]
  const last = units[units.length - 1] as Unit
  let ending: Ending
  if (last.kind === 'closes') ending = 'server-closes'
  else if (last.kind === 'partial') ending = chance(rng, 0.25) ? 'server-closes' : 'abrupt-after-answers'
  else ending = chance(rng, 0.08) ? 'abrupt-now' : 'answers'
  const length = units.reduce((sum, u) => sum + u.bytes.length, 0)
  const splits = chance(rng, 0.3) ? Array.from({ length: between(rng, 1, 3) }, () => between(rng, 1, Math.max(1, length - 1))).sort((a, b) => a - b) : []
  return { region: pick(rng, regions), units, ending, splits }
}
