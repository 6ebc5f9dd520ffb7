// A small service whose API is not LikeStorm's /v1: reactions on videos, written with plain
// node:http, one region, ids taken on first use. `reactions-api.adapter.ts` maps LikeStorm's
// operations onto it. Run it alone with `node --import tsx examples/adapters/reactions-service.ts 8090`.
//
//   POST   /api/videos/:id/reactions         {"user","kind":"like"|"view","watchMs"?}  -> {"likes","views","viewers"}
//   DELETE /api/videos/:id/reactions/:user   (removes the user's like)                  -> {"likes","views","viewers"}
//   GET    /api/videos/:id/stats                                                        -> {"likes","views","viewers"}
//   GET    /api/users/:user/reactions/:id                                               -> {"liked"}
//   GET    /api/users/:user/liked?after=N&max=M                                         -> {"items":[…],"next":N|null}
//   GET    /health
// A write with an `x-request-id` header is applied once: a retry with the same id gets the first answer.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'

/** Request ids remembered for replay; the oldest are let go first. */
const REQUEST_IDS_MAX = 200_000
const BODY_BYTES_MAX = 16 * 1024
const PAGE_MAX = 1000

export interface Stats {
  readonly likes: number
  readonly views: number
  readonly viewers: number
}

/** The service's state: a like set per video, views and distinct viewers. */
export class ReactionStore {
  protected readonly likers = new Map<string, Set<string>>()
  protected readonly liked = new Map<string, string[]>()
  private readonly views = new Map<string, number>()
  private readonly viewers = new Map<string, Set<string>>()

  like(video: string, user: string): Stats {
    const set = this.likersOf(video)
    if (!set.has(user)) {
      set.add(user)
      this.likedBy(user).push(video)
    }
    return this.stats(video)
  }

  unlike(video: string, user: string): Stats {
    if (this.likersOf(video).delete(user)) {
      const list = this.likedBy(user)
      list.splice(list.indexOf(video), 1)
    }
    return this.stats(video)
  }

  view(video: string, user: string): Stats {
    this.views.set(video, (this.views.get(video) ?? 0) + 1)
    let set = this.viewers.get(video)
    if (set === undefined) this.viewers.set(video, (set = new Set()))
    set.add(user)
    return this.stats(video)
  }

  stats(video: string): Stats {
    return { likes: this.likersOf(video).size, views: this.views.get(video) ?? 0, viewers: this.viewers.get(video)?.size ?? 0 }
  }

  hasLiked(user: string, video: string): boolean {
    return this.likersOf(video).has(user)
  }

  likedPage(user: string, after: number, max: number): { items: string[]; next: number | null } {
    const list = this.likedBy(user)
    const items = list.slice(after, after + max)
    return { items, next: after + items.length < list.length ? after + items.length : null }
  }

  protected likersOf(video: string): Set<string> {
    let set = this.likers.get(video)
    if (set === undefined) this.likers.set(video, (set = new Set()))
    return set
  }

  private likedBy(user: string): string[] {
    let list = this.liked.get(user)
    if (list === undefined) this.liked.set(user, (list = []))
    return list
  }
}

type Json = Record<string, unknown>

export function createReactionsService(store: ReactionStore = new ReactionStore()): Server {
  const replies = new Map<string, { status: number; body: Json }>()
  return createServer((request, response) => {
    void handle(store, replies, request, response).catch(() => send(response, 500, { error: 'internal' }))
  })
}

async function handle(store: ReactionStore, replies: Map<string, { status: number; body: Json }>, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://service')
  const parts = url.pathname.split('/').filter((p) => p !== '').map(decodeURIComponent)
  const method = request.method ?? 'GET'
  if (method === 'GET' && url.pathname === '/health') return send(response, 200, { ok: true })
  if (parts[0] !== 'api') return send(response, 404, { error: 'no such route' })
  const requestId = request.headers['x-request-id']
  const write = (apply: () => { status: number; body: Json }): void => {
    const known = typeof requestId === 'string' ? replies.get(requestId) : undefined
    const reply = known ?? apply()
    if (known === undefined && typeof requestId === 'string') {
      if (replies.size >= REQUEST_IDS_MAX) replies.delete(replies.keys().next().value as string)
      replies.set(requestId, reply)
    }
    send(response, reply.status, reply.body)
  }
  // /api/videos/:id/…
  if (parts[1] === 'videos' && parts[2] !== undefined) {
    const video = parts[2]
    if (method === 'GET' && parts[3] === 'stats' && parts.length === 4) return send(response, 200, { ...store.stats(video) })
    if (method === 'POST' && parts[3] === 'reactions' && parts.length === 4) {
      const body = await readJson(request)
      const user = body?.['user']
      const kind = body?.['kind']
      if (typeof user !== 'string' || (kind !== 'like' && kind !== 'view')) return send(response, 400, { error: 'user and kind (like | view) are required' })
      return write(() => ({ status: 200, body: { ...(kind === 'like' ? store.like(video, user) : store.view(video, user)) } }))
    }
    if (method === 'DELETE' && parts[3] === 'reactions' && parts[4] !== undefined && parts.length === 5) {
      const user = parts[4]
      return write(() => ({ status: 200, body: { ...store.unlike(video, user) } }))
    }
  }
  // /api/users/:user/…
  if (parts[1] === 'users' && parts[2] !== undefined && method === 'GET') {
    const user = parts[2]
    if (parts[3] === 'reactions' && parts[4] !== undefined && parts.length === 5) return send(response, 200, { liked: store.hasLiked(user, parts[4]) })
    if (parts[3] === 'liked' && parts.length === 4) {
      const after = Number(url.searchParams.get('after') ?? 0)
      const max = Math.min(PAGE_MAX, Number(url.searchParams.get('max') ?? 100))
      if (!(Number.isInteger(after) && after >= 0 && Number.isInteger(max) && max >= 1)) return send(response, 400, { error: 'after and max must be whole numbers' })
      return send(response, 200, store.likedPage(user, after, max))
    }
  }
  send(response, 404, { error: 'no such route' })
}

async function readJson(request: IncomingMessage): Promise<Json | undefined> {
  let text = ''
  for await (const chunk of request) {
    text += String(chunk)
    if (text.length > BODY_BYTES_MAX) return undefined
  }
  try {
    const value = JSON.parse(text) as unknown
    return typeof value === 'object' && value !== null ? (value as Json) : undefined
  } catch {
    return undefined
  }
}

function send(response: ServerResponse, status: number, body: Json): void {
  response.writeHead(status, { 'content-type': 'application/json' })
  response.end(JSON.stringify(body))
}

// Run alone: node --import tsx examples/adapters/reactions-service.ts [port]
if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.argv[2] ?? 8090)
  createReactionsService().listen(port, '127.0.0.1', () => console.log(`reactions service on http://127.0.0.1:${port}`))
}
