/** Calls of the 版本 panel: list, name and restore versions; fetch states and authors for 留痕. */
import type { DocumentAuthor, DocumentVersion } from '../../../../../../shared/api'
import { call } from '../../../../api/call'
import {
  createVersion,
  getState,
  getVersion,
  listAuthors,
  listVersions as listVersionsRoute,
  restoreVersion as restoreVersionRoute,
} from '../../../../../../shared/http/routes/versions'

/** @returns the bytes of a base64 string. */
export function fromBase64(text: string): Uint8Array {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i)
  }
  return bytes
}

/** @returns the versions of a document, newest first. @throws ApiError */
export async function listVersions(documentId: string): Promise<DocumentVersion[]> {
  return (await call(listVersionsRoute, { params: { id: documentId } })).versions
}

/** Saves the current state as a named version (owner/editors). @throws ApiError */
export function saveVersion(documentId: string, name: string): Promise<DocumentVersion> {
  return call(createVersion, { params: { id: documentId }, body: { name } })
}

/**
 * Brings an old version back as a new change on top (owner/editors); the server first keeps the
 * current state as a version when it changed. @throws ApiError
 */
export function restoreVersion(documentId: string, versionId: string): Promise<DocumentVersion> {
  return call(restoreVersionRoute, { params: { id: documentId, vid: versionId } })
}

/** What a comparison side is: a saved version, or the document as it is now. */
export type StateRef = { readonly kind: 'version'; readonly id: string } | { readonly kind: 'now' }

/**
 * @returns the full Yjs state (a V2 update of the gc:false room document, so it holds every
 *   deleted character) of a version or of the live document. @throws ApiError
 */
export async function fetchState(documentId: string, ref: StateRef): Promise<Uint8Array> {
  const query = { format: 'v2' } as const
  const body =
    ref.kind === 'now'
      ? await call(getState, { params: { id: documentId }, query })
      : await call(getVersion, { params: { id: documentId, vid: ref.id }, query })
  if (body.format !== 'v2') {
    throw new Error('the relay answered a V1 state to a V2 request')
  }
  return fromBase64(body.state)
}

/** @returns who wrote with which Yjs client ids and who deleted what. @throws ApiError */
export async function fetchAuthors(documentId: string): Promise<DocumentAuthor[]> {
  return (await call(listAuthors, { params: { id: documentId } })).authors
}
