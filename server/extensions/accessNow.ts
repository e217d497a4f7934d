/** A user's access to a room as the database says now (DESIGN.md §3). */
import { roomAccess } from '../../shared/domain/permissions'
import type { RoomAccess } from '../../shared/domain/permissions'
import type { RoomName } from '../../shared/protocol/rooms'
import type { AccountRole } from '../../shared/domain/roles'
import type { Storage } from '../storage/Storage'
import type { ProjectionReaders } from '../relay/ports'

/**
 * @param readers judges the projection rooms features keep (meeting:), and the documents a running
 *   approval lets a non-member read (doc:); without it nobody reads those
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
  const memberRole =
    room.kind === 'doc' ? await storage.documents.memberRole(room.id, userId) : null
  const asks =
    readers !== undefined &&
    (room.kind === 'meeting' || (room.kind === 'doc' && memberRole === null))
  const projectionReader = asks ? await readers.mayRead(room, userId) : false
  return roomAccess(room, { userId, roles, memberRole, projectionReader })
}
