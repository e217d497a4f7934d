/** Calls of the 版本 panel: list, name and restore versions; fetch states and authors for 留痕. */
import type {
  DocumentAuthor,
  DocumentStateBody,
  DocumentVersion,
  DocumentVersionBody,
} from '../../../../../../shared/api'
import { api } from '../../../../api/client'

function documentPath(documentId: string): string {
  return `/documents/${encodeURIComponent(documentId)}`
}

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
  return (await api.get<{ versions: DocumentVersion[] }>(`${documentPath(documentId)}/versions`))
    .versions
}

/** Saves the current state as a named version (owner/editors). @throws ApiError */
export function saveVersion(documentId: string, name: string): Promise<DocumentVersion> {
  return api.post<DocumentVersion>(`${documentPath(documentId)}/versions`, { name })
}

/**
 * Brings an old version back as a new change on top (owner/editors); the server first keeps the
 * current state as a version when it changed. @throws ApiError
 */
export function restoreVersion(documentId: string, versionId: string): Promise<DocumentVersion> {
  return api.post<DocumentVersion>(
    `${documentPath(documentId)}/versions/${encodeURIComponent(versionId)}/restore`,
    {},
  )
}

/** What a comparison side is: a saved version, or the document as it is now. */
export type StateRef = { readonly kind: 'version'; readonly id: string } | { readonly kind: 'now' }

/**
 * @returns the full Yjs state (a V2 update of the gc:false room document, so it holds every
 *   deleted character) of a version or of the live document. @throws ApiError
 */
export async function fetchState(documentId: string, ref: StateRef): Promise<Uint8Array> {
  const path =
    ref.kind === 'now'
      ? `${documentPath(documentId)}/state?format=v2`
      : `${documentPath(documentId)}/versions/${encodeURIComponent(ref.id)}?format=v2`
  const body =
    ref.kind === 'now'
      ? await api.get<DocumentStateBody>(path)
      : await api.get<DocumentVersionBody>(path)
  if (body.format !== 'v2') {
    throw new Error('the relay answered a V1 state to a V2 request')
  }
  return fromBase64(body.state)
}

/** @returns who wrote with which Yjs client ids and who deleted what. @throws ApiError */
export async function fetchAuthors(documentId: string): Promise<DocumentAuthor[]> {
  return (await api.get<{ authors: DocumentAuthor[] }>(`${documentPath(documentId)}/authors`))
    .authors
}
