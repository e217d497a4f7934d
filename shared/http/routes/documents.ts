/** `/api/v1/documents`: list and search, create, read, rename; 回收站 (delete, restore) and 归档. */
import { z } from 'zod'
import { GRANTABLE_MEMBER_ROLES } from '../../domain/roles'
import { DOC_TYPE_IDS } from '../../gongwen/docTypes'
import { MAX_TITLE_LENGTH } from '../../limits'
import { defineRoute, queryNumber } from '../contract'

/** A person's right on one document (shared/domain/roles.ts MemberRole). */
export const MemberRoleSchema = z.enum(['owner', ...GRANTABLE_MEMBER_ROLES])

/** A document id in a path. */
export const DocumentId = z.string().min(1).max(64)

/** The params of a document's routes. */
export const DocumentParams = z.object({ id: DocumentId })

/** One row of GET /documents. */
export const DocumentSummary = z.object({
  id: z.string(),
  title: z.string(),
  ownerId: z.string(),
  ownerName: z.string(),
  /** The caller's role on the document. */
  role: MemberRoleSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  /** 文种 id the document was created as (e.g. 'notice'); null for a plain working document. */
  docType: z.string().nullable(),
  /**
   * When it was archived (归档): read-only for everyone from then on; null while it is not. Absent
   * in rows cached by older builds.
   */
  archivedAt: z.string().nullable().optional(),
})
export type DocumentSummary = z.infer<typeof DocumentSummary>

/** A document found by GET /documents?q=… */
export const DocumentSearchHit = DocumentSummary.extend({
  /** Text around the first match in the body, or null when only the title matched. */
  excerpt: z.string().nullable(),
})
export type DocumentSearchHit = z.infer<typeof DocumentSearchHit>

/** GET /documents query: search and filters. */
export const DocumentListQuery = z.object({
  q: z.string().trim().max(100).optional(),
  filter: z.enum(['all', 'mine', 'shared']).optional(),
  docType: z.string().trim().min(1).max(32).optional(),
  status: z.string().trim().min(1).max(32).optional(),
  limit: queryNumber().int().min(1).max(200).optional(),
})

/** A client-generated document id (a document created offline): a UUID, lower case. */
export const ClientDocumentId = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, {
    message: '文档编号无效 (the id must be a lower-case UUID)',
  })

/** POST /documents */
export const CreateDocumentRequest = z.object({
  title: z.string().trim().min(1).max(MAX_TITLE_LENGTH),
  /**
   * The id the client chose (for a document created offline, or any it may retry). Sending the same request again
   * (a retry after reconnecting) answers the document already created; an id someone else's
   * document holds is refused (409).
   */
  id: ClientDocumentId.optional(),
  /**
   * The client brings the content: created offline (its 文种's template went into the local copy)
   * or imported from a file. The relay then seeds no template; without it, a 文种's is seeded.
   */
  offline: z.boolean().optional(),
  /** 文种: the document starts from its template (shared/gongwen/templates.ts); omitted, it starts empty. */
  docType: z.enum(DOC_TYPE_IDS, { message: '文种无效 (unknown document type)' }).optional(),
})

/** PATCH /documents/<id> */
export const UpdateDocumentRequest = z.object({
  title: z.string().trim().min(1).max(MAX_TITLE_LENGTH),
})

/**
 * `GET /api/v1/documents` → 200 the documents I am a member of; with a search or a filter, the
 * rows found, each with an excerpt (DocumentSearchHit).
 */
export const listDocuments = defineRoute({
  method: 'GET',
  path: '/api/v1/documents',
  query: DocumentListQuery,
  status: 200,
  response: z.object({ documents: z.array(z.union([DocumentSearchHit, DocumentSummary])) }),
})

/** `POST /api/v1/documents` → 201 the document (DESIGN.md §6); the caller becomes its owner. */
export const createDocument = defineRoute({
  method: 'POST',
  path: '/api/v1/documents',
  body: CreateDocumentRequest,
  status: 201,
  response: DocumentSummary,
})

/** `GET /api/v1/documents/:id` → 200 its summary; 403 for non-members, 404 unknown. */
export const getDocument = defineRoute({
  method: 'GET',
  path: '/api/v1/documents/:id',
  params: DocumentParams,
  status: 200,
  response: DocumentSummary,
})

/** `PATCH /api/v1/documents/:id` → 200 the renamed document. */
export const renameDocument = defineRoute({
  method: 'PATCH',
  path: '/api/v1/documents/:id',
  params: DocumentParams,
  body: UpdateDocumentRequest,
  status: 200,
  response: DocumentSummary,
})

/** A document in the 回收站. */
export const TrashedDocument = DocumentSummary.extend({
  deletedAt: z.string(),
  /** Who put it there (null when the account is gone). */
  deletedByName: z.string().nullable(),
})
export type TrashedDocument = z.infer<typeof TrashedDocument>

/**
 * `GET /api/v1/documents/trash` → 200 the 回收站: the deleted documents the caller owns (a
 * sysadmin: every deleted document), most recently deleted first.
 */
export const listTrash = defineRoute({
  method: 'GET',
  path: '/api/v1/documents/trash',
  status: 200,
  response: z.object({ documents: z.array(TrashedDocument) }),
})

/**
 * `DELETE /api/v1/documents/:id` → 204: the document goes to the 回收站. Only its owner or a
 * sysadmin; it vanishes from every list and search, its room refuses new sockets and closes open
 * ones. Content, members and history are kept for a restore.
 */
export const deleteDocument = defineRoute({
  method: 'DELETE',
  path: '/api/v1/documents/:id',
  params: DocumentParams,
  status: 204,
  response: z.null(),
})

/** `POST /api/v1/documents/:id/restore` → 200 the document, back from the 回收站 (owner or sysadmin). */
export const restoreDocument = defineRoute({
  method: 'POST',
  path: '/api/v1/documents/:id/restore',
  params: DocumentParams,
  status: 200,
  response: DocumentSummary,
})

/**
 * `POST /api/v1/documents/:id/archive` → 200 the document, archived (归档): read-only for everyone,
 * owners and admins included (owner or sysadmin). The approvals engine's 归档 stage does the same
 * when a 公文's flow completes. Archiving twice answers the archived document.
 */
export const archiveDocument = defineRoute({
  method: 'POST',
  path: '/api/v1/documents/:id/archive',
  params: DocumentParams,
  status: 200,
  response: DocumentSummary,
})
