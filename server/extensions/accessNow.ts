/** A user's access to a room as the database says now (DESIGN.md §3). */
import { roomAccess } from '../../shared/domain/permissions'
import type { RoomAccess } from '../../shared/domain/permissions'
import type { RoomName } from '../../shared/protocol/rooms'
import type { AccountRole } from '../../shared/domain/roles'
import type { Storage } from '../storage/Storage'

/** @returns the access `userId` (holding `roles`) has to `room` now. */
export async function accessNow(
  storage: Storage,
  room: RoomName,
  userId: string,
  roles: readonly AccountRole[],
): Promise<RoomAccess> {
  if (room.kind === 'approval') {
    // Read-only for the approval's participants (DESIGN §3); the server alone writes it.
    return (await storage.approvals.isParticipant(room.id, userId)) ? 'read' : 'none'
  }
  const memberRole =
    room.kind === 'doc' ? await storage.documents.memberRole(room.id, userId) : null
  return roomAccess(room, { userId, roles, memberRole })
}
