/**
 * API calls from the pages of the deployment's other nodes (issue 23). A client whose node went
 * away sends its idempotent calls (reads, sign-in) to another node, and its page's origin is still
 * the node it was loaded from, so those calls are cross-origin. Only the origins listed in
 * QILU_NODES are answered; the API authenticates by bearer token, never by cookie, so nothing
 * ambient is lent to them (no Allow-Credentials), and other origins get no CORS header at all.
 *
 * @example
 *   nodeCors(app, ['https://oa1.example.gov.cn', 'https://oa2.example.gov.cn'])
 */
import type { FastifyInstance } from 'fastify'

/** How long a browser may keep a preflight's answer (s). */
const PREFLIGHT_MAX_AGE_S = 600

/** Answers CORS for `/api/` requests whose Origin is one of `nodes` (nothing when none are listed). */
export function nodeCors(app: FastifyInstance, nodes: readonly string[]): void {
  if (nodes.length === 0) {
    return
  }
  const allowed = new Set(nodes)
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin
    if (origin === undefined || !allowed.has(origin) || !request.url.startsWith('/api/')) {
      return
    }
    reply.header('Access-Control-Allow-Origin', origin)
    reply.header('Vary', 'Origin')
    // The client reads Retry-After of a 429 (errors.ts).
    reply.header('Access-Control-Expose-Headers', 'Retry-After')
    if (request.method === 'OPTIONS') {
      // Only what a client retries on another node: reads, and the sign-in POST.
      reply.header('Access-Control-Allow-Methods', 'GET, POST')
      reply.header('Access-Control-Allow-Headers', 'authorization, content-type, accept')
      reply.header('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_S))
      await reply.code(204).send()
    }
  })
}
