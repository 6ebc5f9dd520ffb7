// The peer both HTTP benches measure against: a bare fastify app (same fastify version as the mock
// server) whose one route parses a small JSON body and answers a small JSON object shaped like a
// like acknowledgement, on the like route's own path, so a client sends both the very same request.
// Nothing else: no validation, no core, no metrics.
import Fastify, { type FastifyInstance } from 'fastify'

export const BARE_PATH_PREFIX = '/v1/videos/'

export async function startBareFastify(logger: { level: 'warn'; stream: NodeJS.WritableStream }): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify({ logger })
  app.post(`${BARE_PATH_PREFIX}:videoId/likes`, (request, reply) => {
    const { videoId } = request.params as { videoId: string }
    const { userId } = request.body as { userId: string }
    reply.send({ videoId, userId, liked: true, likeCount: 1 })
  })
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  return { app, url }
}
