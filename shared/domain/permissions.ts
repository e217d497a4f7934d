/**
 * Permission rules as pure functions. The server enforces them; clients use them to shape the UI.
 */
import type { AccountRole, MemberRole } from './roles'
import type { RoomName } from '../protocol/rooms'

/** What a connection may do in a room. */
export type RoomAccess =
  /** May not join. */
  | 'none'
  /** Receives updates; its document updates are dropped. */
  | 'read'
  /** May send document updates. */
  | 'write'
  /**
   * May send document updates that touch only the `comments` and `suggestions` roots of a document
   * (commenters); the relay checks each update and refuses any other change.
   */
  | 'comment'

/** @returns whether a member role may write a document body directly. */
export function canEditBody(role: MemberRole | null): boolean {
  return role === 'owner' || role === 'editor'
}

/** @returns whether a member role may change who the members of a document are. */
export function canManageMembers(
  role: MemberRole | null,
  accountRoles: readonly AccountRole[],
): boolean {
  return role === 'owner' || accountRoles.includes('sysadmin')
}

/** The facts the room rule needs about the connecting user. */
export interface RoomSubject {
  readonly userId: string
  readonly roles: readonly AccountRole[]
  /** The user's member role on the document, when the room is a document. */
  readonly memberRole: MemberRole | null
  /**
   * Whether the feature that keeps a projection room counts the user among its readers (a
   * meeting's invitees, deputies and organiser), when the room is such a projection; for a
   * document the user is no member of, whether a running approval lets them read it now (its
   * current assignees and their deputies, 代).
   */
  readonly projectionReader?: boolean
  /** Whether the document is archived (归档): then nobody writes it, its owner and admins included. */
  readonly archived?: boolean
}

/**
 * Decides a user's access to a room.
 * Authoritative rooms (approval, meeting, inbox, directory) are never writable by clients.
 */
export function roomAccess(room: RoomName, subject: RoomSubject): RoomAccess {
  switch (room.kind) {
    case 'doc':
      if (subject.memberRole === null) {
        return subject.projectionReader === true ? 'read' : 'none'
      }
      if (subject.archived === true) {
        return 'read'
      }
      if (canEditBody(subject.memberRole)) {
        return 'write'
      }
      // Commenters write comments and suggestions, which live outside `body` so the relay can
      // check every update of theirs (server/extensions/DocumentPolicyExtension.ts).
      return subject.memberRole === 'commenter' ? 'comment' : 'read'
    case 'inbox':
      return room.id === subject.userId ? 'read' : 'none'
    case 'directory':
      return 'read'
    case 'approval':
      return subject.memberRole === null ? 'none' : 'read'
    case 'meeting':
      return subject.projectionReader === true ? 'read' : 'none'
  }
}
