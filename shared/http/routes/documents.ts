/** `/api/v1/documents`: list and search, create, read, rename. */
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

/** POST /documents */
export const CreateDocumentRequest = z.object({
  title: z.string().trim().min(1).max(MAX_TITLE_LENGTH),
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
