/** A user's access to a room as the database says now (DESIGN.md §3). */
import { roomAccess } from '../../shared/domain/permissions'
import type { RoomAccess } from '../../shared/domain/permissions'
import type { RoomName } from '../../shared/protocol/rooms'
import type { AccountRole, MemberRole } from '../../shared/domain/roles'
import type { Storage } from '../storage/Storage'
import type { ProjectionReaders } from '../relay/ports'

/** A user's access to a room, and whether a document room is archived (why a member only reads). */
export interface AccessNow {
  readonly access: RoomAccess
  readonly archived: boolean
}

/**
 * @param readers judges the projection rooms features keep (meeting:), and the documents a feature
 *   lets a non-member read (a running approval's assignees and their deputies, a meeting's invitees
 *   its agenda and materials), read only; without it nobody reads those
 * @returns the access `userId` (holding `roles`) has to `room` now.
 */
export async function accessNow(
  storage: Storage,
  room: RoomName,
  userId: string,
  roles: readonly AccountRole[],
  readers?: ProjectionReaders,
): Promise<RoomAccess> {
  return (await accessWithState(storage, room, userId, roles, readers)).access
}

/** accessNow, with whether the document is archived. */
export async function accessWithState(
  storage: Storage,
  room: RoomName,
  userId: string,
  roles: readonly AccountRole[],
  readers?: ProjectionReaders,
): Promise<AccessNow> {
  if (room.kind === 'approval') {
    // Read-only for the approval's participants (DESIGN §3), and for deputies (代) of a leader who
    // must act now as the approvals module judges through `readers`; the server alone writes it.
    const reads =
      (await storage.approvals.isParticipant(room.id, userId)) ||
      (readers !== undefined && (await readers.mayRead(room, userId)))
    return { access: reads ? 'read' : 'none', archived: false }
  }
  let memberRole: MemberRole | null = null
  let archived = false
  if (room.kind === 'doc') {
    // A document in the 回收站 takes no socket; an archived one only readers (DESIGN.md §6).
    const state = await storage.documents.access(room.id, userId)
    if (state === null || state.deletedAt !== null) {
      return { access: 'none', archived: false }
    }
    archived = state.archivedAt !== null
    memberRole = state.memberRole
  }
  if (room.kind === 'doc' && memberRole === null && readers !== undefined) {
    // Read-only for non-members a feature lets read: a running approval's assignees and their
    // deputies, a meeting's invitees its agenda and materials.
    memberRole = (await readers.mayRead(room, userId)) ? 'reader' : null
  }
  const projectionReader =
    room.kind === 'meeting' && readers !== undefined ? await readers.mayRead(room, userId) : false
  return {
    access: roomAccess(room, { userId, roles, memberRole, projectionReader, archived }),
    archived,
  }
}
