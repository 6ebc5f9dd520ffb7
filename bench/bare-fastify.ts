// The peer both HTTP benches measure against: a bare fastify app (same fastify version as the mock
// server) whose one route parses a small JSON body and answers a small JSON object shaped like a
// like acknowledgement. Nothing else: no validation, no core, no metrics.
import Fastify, { type FastifyInstance } from 'fastify'

export const BARE_PATH_PREFIX = '/bare/videos/'

export async function startBareFastify(logger: { level: 'warn'; stream: NodeJS.WritableStream }): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify({ logger })
  app.post('/bare/videos/:videoId/likes', (request, reply) => {
    const { videoId } = request.params as { videoId: string }
    const { userId } = request.body as { userId: string }
    reply.send({ videoId, userId, liked: true, likeCount: 1 })
  })
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  return { app, url }
}
