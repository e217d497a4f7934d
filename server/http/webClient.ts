/** Serves the built web client at `/` with an SPA fallback and a strict CSP. */
import fs from 'node:fs'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import fastifyStatic from '@fastify/static'

/**
 * @param nodes the origins of the deployment's other nodes, which the client's reads fail over to
 * @returns the CSP of the web client: same-origin scripts only, sockets to the relay
 */
export function webCsp(nodes: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `connect-src ${["'self'", ...nodes, 'ws:', 'wss:'].join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>齐鲁办公</title>
<p>网页客户端尚未构建：请运行 <code>npm run build:web</code> 或 <code>npm start</code>。</p>
<p>The web client has not been built: run <code>npm run build:web</code> or <code>npm start</code>.</p>`

/** Registers static serving of `webRoot` (or an explanatory page when it is missing). */
export async function webClient(
  app: FastifyInstance,
  webRoot: string | null,
  options: { readonly preCompressed: boolean; readonly nodes?: readonly string[] } = {
    preCompressed: true,
  },
): Promise<void> {
  const csp = webCsp(options.nodes)
  const built = webRoot !== null && fs.existsSync(path.join(webRoot, 'index.html'))
  app.addHook('onSend', async (request, reply) => {
    if (!request.url.startsWith('/api/')) {
      reply.header('Content-Security-Policy', csp)
      reply.header('X-Content-Type-Options', 'nosniff')
      reply.header('Referrer-Policy', 'no-referrer')
    }
  })
  if (!built || webRoot === null) {
    app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(NOT_BUILT))
    return
  }
  await app.register(fastifyStatic, {
    root: webRoot,
    // One route for every file, looked up on request. `wildcard: false` globbed the folder at start
    // and added a GET and a HEAD route per file: some 100 ms of the relay's start (issue 23).
    wildcard: true,
    // The build writes none; a stray one (an editor's, a deploy tool's) is never served.
    dotfiles: 'ignore',
    // The build wrote .br and .gz beside each file (renderer/vite.config.ts): served as the
    // request's Accept-Encoding allows, with no compression work per request.
    preCompressed: options.preCompressed,
    setHeaders(response, filePath) {
      // Hashed assets never change; the shell and the service worker must always be revalidated.
      const immutable = filePath.includes(`${path.sep}assets${path.sep}`)
      response.header(
        'Cache-Control',
        immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      )
    },
  })
}

/** @returns whether a not-found request should get the SPA shell rather than a JSON 404. */
export function wantsShell(method: string, url: string): boolean {
  return (
    method === 'GET' &&
    !url.startsWith('/api/') &&
    !url.startsWith('/sync/') &&
    !url.startsWith('/assets/')
  )
}
