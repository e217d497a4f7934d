/**
 * /api/v1/documents/<id>/versions, /state and /authors: versions with their Yjs states, restores,
 * and who wrote what. States come as base64 in JSON, or as raw bytes with
 * `Accept: application/octet-stream` (the snapshot then travels in the `x-yjs-snapshot` header).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import * as Y from 'yjs'
import { z } from 'zod'
import { CreateVersionRequest } from '../../shared/validation'
import type { DocumentStateBody, DocumentVersionBody } from '../../shared/api'
import type { HttpContext } from './context'
import { parseBody, principalOf } from './context'

const DocParams = z.object({ id: z.string().min(1).max(64) })
const VersionParams = z.object({ id: z.string().min(1).max(64), vid: z.string().min(1).max(64) })
const StateQuery = z.object({ format: z.enum(['v1', 'v2']).optional() })

function wantsBytes(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('application/octet-stream')
}

function encodeState(state: Uint8Array, format: 'v1' | 'v2'): Uint8Array {
  return format === 'v2' ? Y.convertUpdateFormatV1ToV2(state) : state
}

function sendState(
  request: FastifyRequest,
  reply: FastifyReply,
  value: { state: Uint8Array; snapshot: Uint8Array },
  extra: Omit<DocumentVersionBody, keyof DocumentStateBody> | null,
): FastifyReply {
  const format = parseBody(StateQuery, request.query).format ?? 'v1'
  const state = encodeState(value.state, format)
  // Versions never change; the live state does.
  reply.header(
    'cache-control',
    extra === null ? 'no-store' : 'private, max-age=31536000, immutable',
  )
  if (wantsBytes(request)) {
    return reply
      .type('application/octet-stream')
      .header('x-yjs-format', format)
      .header('x-yjs-snapshot', Buffer.from(value.snapshot).toString('base64'))
      .send(Buffer.from(state))
  }
  const body: DocumentStateBody = {
    state: Buffer.from(state).toString('base64'),
    format,
    snapshot: Buffer.from(value.snapshot).toString('base64'),
  }
  return reply.send(extra === null ? body : { ...extra, ...body })
}

/** Registers the version routes. */
export function versionRoutes(app: FastifyInstance, context: HttpContext): void {
  const { versions } = context

  app.get('/api/v1/documents/:id/versions', async (request) => {
    const { user } = await principalOf(context, request)
    return { versions: await versions.list(user, parseBody(DocParams, request.params).id) }
  })

  app.post('/api/v1/documents/:id/versions', async (request, reply) => {
    const { user } = await principalOf(context, request)
    const { id } = parseBody(DocParams, request.params)
    const { name } = parseBody(CreateVersionRequest, request.body)
    return reply.code(201).send(await versions.name(user, id, name, request.ip))
  })

  app.get('/api/v1/documents/:id/versions/:vid', async (request, reply) => {
    const { user } = await principalOf(context, request)
    const { id, vid } = parseBody(VersionParams, request.params)
    const found = await versions.get(user, id, vid)
    return sendState(request, reply, found, { version: found.version })
  })

  app.post('/api/v1/documents/:id/versions/:vid/restore', async (request) => {
    const { user } = await principalOf(context, request)
    const { id, vid } = parseBody(VersionParams, request.params)
    return versions.restore(user, id, vid, request.ip)
  })

  app.get('/api/v1/documents/:id/state', async (request, reply) => {
    const { user } = await principalOf(context, request)
    const current = await versions.current(user, parseBody(DocParams, request.params).id)
    return sendState(request, reply, current, null)
  })

  app.get('/api/v1/documents/:id/authors', async (request) => {
    const { user } = await principalOf(context, request)
    return { authors: await versions.authors(user, parseBody(DocParams, request.params).id) }
  })
}
