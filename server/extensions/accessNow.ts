/** A user's access to a room as the database says now (DESIGN.md §3). */
import { roomAccess } from '../../shared/domain/permissions'
import type { RoomAccess } from '../../shared/domain/permissions'
import type { RoomName } from '../../shared/protocol/rooms'
import type { AccountRole } from '../../shared/domain/roles'
import type { Storage } from '../storage/Storage'
import type { ProjectionReaders } from '../relay/ports'

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
  if (room.kind === 'approval') {
    // Read-only for the approval's participants (DESIGN §3), and for deputies (代) of a leader who
    // must act now as the approvals module judges through `readers`; the server alone writes it.
    if (await storage.approvals.isParticipant(room.id, userId)) {
      return 'read'
    }
    return readers !== undefined && (await readers.mayRead(room, userId)) ? 'read' : 'none'
  }
  let memberRole = room.kind === 'doc' ? await storage.documents.memberRole(room.id, userId) : null
  if (room.kind === 'doc' && memberRole === null && readers !== undefined) {
    // A meeting's agenda and materials: read-only for its invitees (the meeting's ACL).
    memberRole = (await readers.mayRead(room, userId)) ? 'reader' : null
  }
  const projectionReader =
    room.kind === 'meeting' && readers !== undefined ? await readers.mayRead(room, userId) : false
  return roomAccess(room, { userId, roles, memberRole, projectionReader })
}
