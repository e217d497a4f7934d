/** Table types of the relational store, shared by the SQLite and PostgreSQL dialects. */
import type { Generated } from 'kysely'

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
}

/** Login sessions; the token itself is never stored, only its SHA-256. */
export interface SessionsTable {
  token_hash: string
  user_id: string
  created_at: number
  last_seen_at: number
}

/** Documents' authoritative metadata (the body lives in the room's CRDT). */
export interface DocumentsTable {
  id: string
  title: string
  owner_id: string
  created_at: number
  updated_at: number
}

/** Per-document ACL. */
export interface DocumentMembersTable {
  document_id: string
  user_id: string
  role: string
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

/** The whole schema. */
export interface Database {
  users: UsersTable
  sessions: SessionsTable
  documents: DocumentsTable
  document_members: DocumentMembersTable
  room_updates: RoomUpdatesTable
  room_snapshots: RoomSnapshotsTable
}
