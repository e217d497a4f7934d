/**
 * /api/v1/documents/<id>/versions, /state and /authors: versions with their Yjs states, restores,
 * and who wrote what. States come as base64 in JSON, or as raw bytes with
 * `Accept: application/octet-stream` (the snapshot then travels in the `x-yjs-snapshot` header).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import * as Y from 'yjs'
import type { DocumentStateBody } from '../../shared/api'
import {
  createVersion,
  getState,
  getVersion,
  listAuthors,
  listVersions,
  restoreVersion,
} from '../../shared/http/routes/versions'
import type { HttpContext } from './context'
import { principalOf } from './context'
import { handle } from './contractRoute'

function wantsBytes(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('application/octet-stream')
}

function encodeState(state: Uint8Array, format: 'v1' | 'v2'): Uint8Array {
  return format === 'v2' ? Y.convertUpdateFormatV1ToV2(state) : state
}

/** The state and snapshot of a version or of the live document. */
interface StateValue {
  readonly state: Uint8Array
  readonly snapshot: Uint8Array
}

/** Sends a state as raw bytes, the snapshot in a header. @returns the reply, sent */
function sendBytes(reply: FastifyReply, format: 'v1' | 'v2', value: StateValue): FastifyReply {
  return reply
    .type('application/octet-stream')
    .header('x-yjs-format', format)
    .header('x-yjs-snapshot', Buffer.from(value.snapshot).toString('base64'))
    .send(Buffer.from(encodeState(value.state, format)))
}

/** @returns a state as the JSON body. */
function stateBody(format: 'v1' | 'v2', value: StateValue): DocumentStateBody {
  return {
    state: Buffer.from(encodeState(value.state, format)).toString('base64'),
    format,
    snapshot: Buffer.from(value.snapshot).toString('base64'),
  }
}

/** Registers the version routes. */
export function versionRoutes(app: FastifyInstance, context: HttpContext): void {
  const { versions } = context
  const signedIn = (request: FastifyRequest) => principalOf(context, request)

  handle(app, listVersions, signedIn, async ({ auth: { user }, params }) => ({
    versions: await versions.list(user, params.id),
  }))

  handle(app, createVersion, signedIn, async ({ auth: { user }, params, body, request }) =>
    versions.name(user, params.id, body.name, request.ip),
  )

  handle(app, getVersion, signedIn, async ({ auth: { user }, params, query, request, reply }) => {
    const found = await versions.get(user, params.id, params.vid)
    const format = query.format ?? 'v1'
    // Versions never change; the live state does.
    reply.header('cache-control', 'private, max-age=31536000, immutable')
    return wantsBytes(request)
      ? sendBytes(reply, format, found)
      : { version: found.version, ...stateBody(format, found) }
  })

  handle(app, restoreVersion, signedIn, async ({ auth: { user }, params, request }) =>
    versions.restore(user, params.id, params.vid, request.ip),
  )

  handle(app, getState, signedIn, async ({ auth: { user }, params, query, request, reply }) => {
    const current = await versions.current(user, params.id)
    const format = query.format ?? 'v1'
    reply.header('cache-control', 'no-store')
    return wantsBytes(request) ? sendBytes(reply, format, current) : stateBody(format, current)
  })

  handle(app, listAuthors, signedIn, async ({ auth: { user }, params }) => ({
    authors: await versions.authors(user, params.id),
  }))
}
