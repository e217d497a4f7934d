/** Table types of the relational store, shared by the SQLite and PostgreSQL dialects. */
import type { ColumnType, Generated } from 'kysely'
import type {
  ApprovalActionsTable,
  ApprovalNumberCountersTable,
  ApprovalParticipantsTable,
  ApprovalTodosTable,
  ApprovalsTable,
} from './approvals/approvalSchema'

/** Accounts. Booleans are stored as 0/1 so both dialects read them alike. */
export interface UsersTable {
  id: string
  username: string
  display_name: string
  /** scrypt hash of the password, or null while only an activation code exists. */
  password_hash: string | null
  /** SHA-256 of the one-time activation code, or null once used. */
  activation_hash: string | null
  must_change_password: number
  /** JSON array of AccountRole. */
  roles: string
  unit_id: string | null
  active: number
  failed_logins: number
  locked_until: number | null
  created_at: number
  phone: string | null
  /** Full pinyin of the display name without tones or spaces, e.g. 'zhangwei'. */
  pinyin: string | null
  /** Pinyin initials, e.g. 'zw'. */
  initials: string | null
  /** Who sees the phone number in the directory: 'public' | 'unit' | 'hidden'. */
  phone_visibility: string | null
  deactivated_at: number | null
}

/** Login sessions; the token itself is never stored, only its SHA-256. */
export interface SessionsTable {
  token_hash: string
  user_id: string
  created_at: number
  last_seen_at: number
  user_agent: string | null
  ip: string | null
}

/** Documents' authoritative metadata (the body lives in the room's CRDT). */
export interface DocumentsTable {
  id: string
  title: string
  owner_id: string
  created_at: number
  updated_at: number
  /** 文种 chosen at creation (a DocTypeId), null for a plain working document (003_document_kind). */
  doc_type: ColumnType<string | null, string | null | undefined, string | null>
  /** When the document was archived (归档: read-only for everyone); null while it is not (021). */
  archived_at: ColumnType<number | null, number | null | undefined, number | null>
  /** Who archived it (a user id; null for the approvals engine's 归档 or while not archived). */
  archived_by: ColumnType<string | null, string | null | undefined, string | null>
  /** When it went to the 回收站; null while it is not deleted (021). */
  deleted_at: ColumnType<number | null, number | null | undefined, number | null>
  /** Who deleted it. */
  deleted_by: ColumnType<string | null, string | null | undefined, string | null>
}

/** Per-document ACL. */
export interface DocumentMembersTable {
  document_id: string
  user_id: string
  role: string
}

/** Document roles granted to units (007_unit_members): reach every account posted in the subtree. */
export interface DocumentUnitMembersTable {
  document_id: string
  unit_id: string
  /** 'editor' | 'commenter' | 'reader' */
  role: string
  created_at: number
}

/** Append-only log of CRDT updates per room. */
export interface RoomUpdatesTable {
  id: Generated<number>
  room: string
  data: Uint8Array
  created_at: number
}

/** A room's compacted state: every update with id ≤ last_update_id is folded into data. */
export interface RoomSnapshotsTable {
  room: string
  data: Uint8Array
  last_update_id: number
  updated_at: number
}

/** The org tree: 省 → 市 → 县 → 乡镇, each with departments. */
export interface UnitsTable {
  id: string
  parent_id: string | null
  kind: string
  name: string
  code: string
  sort_order: number
  path: string
  created_at: number
}

/** An account's posts (职务) in units; one is primary, others are 兼职. */
export interface PostsTable {
  id: string
  user_id: string
  unit_id: string
  title: string
  is_primary: number
  sort_order: number
}

/** The tamper-evident audit log: each row's hash chains to the previous row's. */
export interface AuditLogTable {
  seq: number
  at: number
  actor_id: string | null
  actor_name: string
  action: string
  target: string | null
  /** Canonical JSON. */
  detail: string
  ip: string | null
  prev_hash: string
  /** SM3 of prev_hash and the entry before keying began; HMAC-SM3 with the audit key from then on. */
  hash: string
}

/** The audit keys: where keying of the chain began, and which key (by fingerprint). */
export interface AuditKeysTable {
  /** 1 for the first key; a later rotation would add 2, … */
  id: number
  /** HMAC-SM3 of a fixed label under the key: identifies the key without revealing it. */
  fingerprint: string
  /** The first seq whose hash is an HMAC under this key. */
  first_seq: number
  created_at: number
}

/** Signed checkpoints of the audit chain's head (also appended to a file outside the database). */
export interface AuditCheckpointsTable {
  /** Number of entries covered: the seq of the head at the time. */
  count: number
  head_hash: string
  keyed_from: number
  /** ms since the epoch. */
  at: number
  /** The relay's SM2 public key, uncompressed hex. */
  public_key: string
  /** SM2 signature (DER, hex) over the checkpoint's canonical JSON. */
  signature: string
}

/** Leases of timed work that must run on one relay node at a time. */
export interface AuditLeasesTable {
  name: string
  /** Node holding the lease (a random id per process). */
  holder: string
  /** ms since the epoch. */
  expires_at: number
}

/** Bulk account imports between validation and commit. */
export interface ImportsTable {
  id: string
  actor_id: string
  status: string
  total: number
  done: number
  payload: string
  created_at: number
}

/** A saved state of a document (automatic, named, or the result of a restore). */
export interface DocumentVersionsTable {
  id: string
  document_id: string
  /** 'auto' | 'named' | 'restore' */
  kind: string
  name: string | null
  /** Y.encodeStateAsUpdate of the gc:false room document. */
  state: Uint8Array
  /** Y.encodeSnapshot of the same moment. */
  snapshot: Uint8Array
  /** JSON array of user ids who changed the document since the previous version. */
  authors: string
  created_by: string | null
  restored_from: string | null
  created_at: number
}

/** Which user wrote with which Yjs client id in a document (first writer wins). */
export interface DocumentClientsTable {
  document_id: string
  client_id: number
  user_id: string
  first_seen_at: number
}

/** Which account owns a Yjs client id in a document (the first to write with it; `@relay`: the relay). */
export interface DocumentClientIdsTable {
  document_id: string
  client_id: number
  owner: string
  claimed_at: number
}

/** Deletions a user made in a document, as encoded delete sets (merged on read). */
export interface DocumentDeletionsTable {
  id: Generated<number>
  document_id: string
  user_id: string
  data: Uint8Array
  created_at: number
}

/** The searchable plain text of a document (FTS5 trigram on SQLite, pg_trgm on PostgreSQL). */
export interface DocumentSearchTable {
  document_id: string
  doc_type: string | null
  title: string
  body: string
  /** Other searchable 公文 fields: 发文字号, 发文机关, 主送机关. */
  extra: string
}

/** One notification or 待办 of a user. */
export interface InboxItemsTable {
  id: string
  user_id: string
  kind: string
  text: string
  excerpt: string
  link: string
  document_id: string | null
  thread_id: string | null
  actor_id: string | null
  actor_name: string
  dedupe_key: string
  created_at: number
  read_at: number | null
}

/** An account's device key for signing approval actions (014_approval_setup). */
export interface DeviceKeysTable {
  id: string
  user_id: string
  label: string
  /** SM2, uncompressed, lowercase hex; unique across accounts, revoked keys included. */
  public_key: string
  created_at: number
  /** ms since the epoch; null while in force. */
  revoked_at: number | null
}

/** A delegation (代): `from_user_id` lets `to_user_id` act for them until `valid_until`. */
export interface DelegationsTable {
  id: string
  from_user_id: string
  to_user_id: string
  /** 'signoff' | 'all' */
  scope: string
  /** ms since the epoch (exclusive). */
  valid_until: number
  created_at: number
  revoked_at: number | null
}

/** A flow template defined by an admin (built-in flows live in shared/approvals). */
export interface ApprovalFlowsTable {
  id: string
  name: string
  /** 'document' | 'form' */
  subject_type: string
  /** The FlowTemplate, JSON. */
  definition: string
  updated_at: number
  updated_by: string
}

/** A form defined by an admin (built-in forms live in shared/approvals). */
export interface ApprovalFormsTable {
  id: string
  name: string
  flow_id: string
  /** The FormDefinition, JSON. */
  definition: string
  updated_at: number
  updated_by: string
}

/** A unit's 机关代字 for its 发文字号 register (e.g. 鲁政办发). */
export interface UnitAgencyCodesTable {
  unit_id: string
  agency_code: string
  updated_at: number
  updated_by: string
}

/** The whole schema. */
/**
 * Lockout and rate limit counters (rate-limiter-flexible's layout), shared by every relay node:
 * `key` is the limiter's prefix and its subject (a username, a client address, an account id).
 */
export interface AuthLimitsTable {
  key: string
  points: number
  /** Milliseconds since the epoch when the count (or block) ends; null: never. */
  expire: number | null
}

export interface Database {
  users: UsersTable
  sessions: SessionsTable
  documents: DocumentsTable
  document_members: DocumentMembersTable
  document_unit_members: DocumentUnitMembersTable
  room_updates: RoomUpdatesTable
  room_snapshots: RoomSnapshotsTable
  units: UnitsTable
  posts: PostsTable
  audit_log: AuditLogTable
  audit_keys: AuditKeysTable
  audit_checkpoints: AuditCheckpointsTable
  audit_leases: AuditLeasesTable
  imports: ImportsTable
  document_versions: DocumentVersionsTable
  document_clients: DocumentClientsTable
  document_client_ids: DocumentClientIdsTable
  document_deletions: DocumentDeletionsTable
  document_search: DocumentSearchTable
  inbox_items: InboxItemsTable
  auth_limits: AuthLimitsTable
  approvals: ApprovalsTable
  approval_actions: ApprovalActionsTable
  approval_todos: ApprovalTodosTable
  approval_participants: ApprovalParticipantsTable
  approval_number_counters: ApprovalNumberCountersTable
  device_keys: DeviceKeysTable
  delegations: DelegationsTable
  approval_flows: ApprovalFlowsTable
  approval_forms: ApprovalFormsTable
  unit_agency_codes: UnitAgencyCodesTable
}
