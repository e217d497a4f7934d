/** Shapes of the HTTP JSON API (DESIGN.md §6), shared by the relay and its clients. */
import type { AccountRole, MemberRole } from './domain/roles'
import type { PhoneVisibility, UnitKind } from './domain/org'

/** The signed-in user as the API returns it. */
export interface ApiUser {
  readonly id: string
  readonly username: string
  readonly displayName: string
  readonly roles: readonly AccountRole[]
  readonly unitId: string | null
  /** True until the user has replaced an activation code with a password of their own. */
  readonly mustChangePassword: boolean
}

/** POST /api/v1/auth/login response. */
export interface LoginResponse {
  readonly token: string
  readonly user: ApiUser
}

/** One row of GET /api/v1/documents. */
export interface DocumentSummary {
  readonly id: string
  readonly title: string
  readonly ownerId: string
  readonly ownerName: string
  /** The caller's role on the document. */
  readonly role: MemberRole
  readonly createdAt: string
  readonly updatedAt: string
  /** 文种 id the document was created as (e.g. 'notice'); null for a plain working document. */
  readonly docType: string | null
}

/** One member of a document, as GET /api/v1/documents/<id>/members returns it. */
export interface DocumentMember {
  readonly userId: string
  readonly username: string
  readonly displayName: string
  readonly role: MemberRole
}

/**
 * A unit granted a role on a document (GET /api/v1/documents/<id>/unit-members): every active
 * account posted in the unit or below it has the role, unless it holds a personal role.
 */
export interface DocumentUnitMember {
  readonly unitId: string
  readonly unitName: string
  /** Ids from the root down to this unit (inclusive). */
  readonly path: readonly string[]
  readonly role: Exclude<MemberRole, 'owner'>
}

/** One row of GET /api/v1/users (people picker / directory search). */
export interface UserSummary {
  readonly id: string
  readonly username: string
  readonly displayName: string
}

/** A unit of the org tree. */
export interface ApiUnit {
  readonly id: string
  readonly parentId: string | null
  readonly kind: UnitKind
  readonly name: string
  readonly code: string
  readonly sortOrder: number
  /** Ids from the root down to this unit (inclusive). */
  readonly path: readonly string[]
}

/** A post (职务) of an account in a unit. */
export interface ApiPost {
  readonly unitId: string
  readonly title: string
  readonly primary: boolean
}

/** An account as the admin screens see it. */
export interface ApiAccount extends ApiUser {
  readonly active: boolean
  readonly phone: string | null
  readonly phoneVisibility: PhoneVisibility
  readonly posts: readonly ApiPost[]
  readonly lockedUntil: string | null
  readonly createdAt: string
}

/** A directory entry (通讯录). */
export interface DirectoryEntry {
  readonly id: string
  readonly displayName: string
  readonly username: string
  readonly pinyin: string
  readonly initials: string
  readonly posts: readonly {
    readonly unitId: string
    readonly unitName: string
    readonly title: string
  }[]
  /** Null when the account's setting hides it from the viewer. */
  readonly phone: string | null
}

/** One of my sessions. */
export interface ApiSession {
  /** A short public id (not the token). */
  readonly id: string
  readonly createdAt: string
  readonly lastSeenAt: string
  readonly userAgent: string | null
  readonly ip: string | null
  readonly current: boolean
}

/** One audit entry. */
export interface ApiAuditEntry {
  readonly id: number
  readonly at: string
  readonly actorId: string | null
  readonly actorName: string
  readonly action: string
  readonly target: string | null
  readonly detail: Record<string, unknown>
  readonly ip: string | null
  readonly hash: string
}

/** The error body of every failed request. */
export interface ApiErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string }
}

/** Machine-readable error codes. */
export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'invalid_credentials'
  | 'locked_out'
  | 'password_change_required'
  | 'weak_password'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'internal'

/** Kinds of document version. */
export type VersionKind =
  /** Taken by the relay after a quiet spell of a changed document, or when its room unloads. */
  | 'auto'
  /** Named by an editor or the owner. */
  | 'named'
  /** The state right after an older version was restored on top. */
  | 'restore'

/** A person as version lists and authorship show them. */
export interface ApiPerson {
  readonly userId: string
  readonly displayName: string
}

/** One row of GET /api/v1/documents/<id>/versions (newest first). */
export interface DocumentVersion {
  readonly id: string
  readonly documentId: string
  readonly kind: VersionKind
  /** The name given to a named version; a generated label for restores and pre-restore saves. */
  readonly name: string | null
  /** Who changed the document since the previous version. */
  readonly authors: readonly ApiPerson[]
  /** Who named or restored it; null for automatic versions. */
  readonly createdBy: ApiPerson | null
  /** For kind 'restore': the id of the version restored. */
  readonly restoredFrom: string | null
  readonly createdAt: string
}

/**
 * A full document state, as GET /api/v1/documents/<id>/versions/<vid> and
 * GET /api/v1/documents/<id>/state return it in JSON.
 */
export interface DocumentStateBody {
  /** Base64 of Y.encodeStateAsUpdate (V2 with ?format=v2) of a gc:false Y.Doc: the full history. */
  readonly state: string
  readonly format: 'v1' | 'v2'
  /** Base64 of Y.encodeSnapshot of the same moment. */
  readonly snapshot: string
}

/** GET /api/v1/documents/<id>/versions/<vid> */
export interface DocumentVersionBody extends DocumentStateBody {
  readonly version: DocumentVersion
}

/** One author of a document: GET /api/v1/documents/<id>/authors. */
export interface DocumentAuthor {
  readonly userId: string
  readonly displayName: string
  /** The author's colour (the same as their presence colour). */
  readonly color: string
  /** Yjs client ids this author wrote with. */
  readonly clientIds: readonly number[]
  /**
   * Base64 of what the author deleted: Y.encodeSnapshot(Y.createSnapshot(ds, new Map())), whose
   * head is the DSEncoderV1 delete set a Y.PermanentUserData `ds` entry holds.
   */
  readonly deletions: string
}

/** A document found by GET /api/v1/documents?q=… */
export interface DocumentSearchHit extends DocumentSummary {
  /** Text around the first match in the body, or null when only the title matched. */
  readonly excerpt: string | null
}

/** Kinds of inbox item. */
export type InboxItemKind =
  /** Someone @mentioned the user in a comment (批注) or a reply. */
  'mention'

/** One item of GET /api/v1/inbox, and of the `items` map of the `inbox:<userId>` room. */
export interface InboxItem {
  readonly id: string
  readonly kind: InboxItemKind
  /** e.g. 张三 在《关于……的通知》中提到了你 */
  readonly text: string
  /** The comment text (shortened). */
  readonly excerpt: string
  /** Client route, e.g. /documents/<id>?thread=<threadId> */
  readonly link: string
  readonly documentId: string | null
  readonly threadId: string | null
  readonly actorId: string | null
  readonly actorName: string
  readonly createdAt: string
  readonly readAt: string | null
}

/** GET /api/v1/inbox */
export interface InboxPage {
  readonly items: readonly InboxItem[]
  /** Unread items in total (not only on this page). */
  readonly unread: number
}
