/**
 * `/api/v1/documents/:id/versions`, `/state` and `/authors`: versions with their Yjs states,
 * restores, and who wrote what. States come as base64 in JSON, or as raw bytes when the request
 * says `Accept: application/octet-stream` (the snapshot then travels in the `x-yjs-snapshot` header).
 */
import { z } from 'zod'
import { defineRoute } from '../contract'
import { DocumentId, DocumentParams } from './documents'

/**
 * Kinds of document version:
 * - `auto`: taken by the relay after a quiet spell of a changed document, or when its room unloads;
 * - `named`: named by an editor or the owner;
 * - `restore`: the state right after an older version was restored on top.
 */
export const VersionKind = z.enum(['auto', 'named', 'restore'])
export type VersionKind = z.infer<typeof VersionKind>

/** A person as version lists and authorship show them. */
export const ApiPerson = z.object({ userId: z.string(), displayName: z.string() })
export type ApiPerson = z.infer<typeof ApiPerson>

/** One version of a document. */
export const DocumentVersion = z.object({
  id: z.string(),
  documentId: z.string(),
  kind: VersionKind,
  /** The name given to a named version; a generated label for restores and pre-restore saves. */
  name: z.string().nullable(),
  /** Who changed the document since the previous version. */
  authors: z.array(ApiPerson).readonly(),
  /** Who named or restored it; null for automatic versions. */
  createdBy: ApiPerson.nullable(),
  /** For kind 'restore': the id of the version restored. */
  restoredFrom: z.string().nullable(),
  createdAt: z.string(),
})
export type DocumentVersion = z.infer<typeof DocumentVersion>

/** A full document state in JSON. */
export const DocumentStateBody = z.object({
  /** Base64 of Y.encodeStateAsUpdate (V2 with ?format=v2) of a gc:false Y.Doc: the full history. */
  state: z.string(),
  format: z.enum(['v1', 'v2']),
  /** Base64 of Y.encodeSnapshot of the same moment. */
  snapshot: z.string(),
})
export type DocumentStateBody = z.infer<typeof DocumentStateBody>

/** A version with its full state. */
export const DocumentVersionBody = DocumentStateBody.extend({ version: DocumentVersion })
export type DocumentVersionBody = z.infer<typeof DocumentVersionBody>

/** One author of a document. */
export const DocumentAuthor = z.object({
  userId: z.string(),
  displayName: z.string(),
  /** The author's colour (the same as their presence colour). */
  color: z.string(),
  /** Yjs client ids this author wrote with. */
  clientIds: z.array(z.number()).readonly(),
  /**
   * Base64 of what the author deleted: Y.encodeSnapshot(Y.createSnapshot(ds, new Map())), whose
   * head is the DSEncoderV1 delete set a Y.PermanentUserData `ds` entry holds.
   */
  deletions: z.string(),
})
export type DocumentAuthor = z.infer<typeof DocumentAuthor>

/** POST /documents/<id>/versions */
export const CreateVersionRequest = z.object({
  name: z.string().trim().min(1, '请填写版本名称 (name required)').max(100),
})

/** The encoding of a state: Yjs update format V1 (the default) or V2. */
export const StateQuery = z.object({ format: z.enum(['v1', 'v2']).optional() })

const VersionParams = z.object({ id: DocumentId, vid: z.string().min(1).max(64) })

/** `GET /api/v1/documents/:id/versions` → 200 the versions, newest first. */
export const listVersions = defineRoute({
  method: 'GET',
  path: '/api/v1/documents/:id/versions',
  params: DocumentParams,
  status: 200,
  response: z.object({ versions: z.array(DocumentVersion) }),
})

/** `POST /api/v1/documents/:id/versions` `{ name }` → 201 the named version (owner and editors). */
export const createVersion = defineRoute({
  method: 'POST',
  path: '/api/v1/documents/:id/versions',
  params: DocumentParams,
  body: CreateVersionRequest,
  status: 201,
  response: DocumentVersion,
})

/** `GET /api/v1/documents/:id/versions/:vid?format=` → 200 the version and its full state. */
export const getVersion = defineRoute({
  method: 'GET',
  path: '/api/v1/documents/:id/versions/:vid',
  params: VersionParams,
  query: StateQuery,
  status: 200,
  response: DocumentVersionBody,
})

/**
 * `POST /api/v1/documents/:id/versions/:vid/restore` → 200 the 'restore' version: the old state
 * brought back as a new change on top (owner and editors).
 */
export const restoreVersion = defineRoute({
  method: 'POST',
  path: '/api/v1/documents/:id/versions/:vid/restore',
  params: VersionParams,
  status: 200,
  response: DocumentVersion,
})

/** `GET /api/v1/documents/:id/state?format=` → 200 the live document's full state. */
export const getState = defineRoute({
  method: 'GET',
  path: '/api/v1/documents/:id/state',
  params: DocumentParams,
  query: StateQuery,
  status: 200,
  response: DocumentStateBody,
})

/** `GET /api/v1/documents/:id/authors` → 200 who wrote with which client ids, and who deleted what. */
export const listAuthors = defineRoute({
  method: 'GET',
  path: '/api/v1/documents/:id/authors',
  params: DocumentParams,
  status: 200,
  response: z.object({ authors: z.array(DocumentAuthor) }),
})
