/** A user's access to a room as the database says now (DESIGN.md §3). */
import { roomAccess } from '../../shared/domain/permissions'
import type { RoomAccess } from '../../shared/domain/permissions'
import type { RoomName } from '../../shared/protocol/rooms'
import type { AccountRole } from '../../shared/domain/roles'
import type { Storage } from '../storage/Storage'
import type { ProjectionReaders } from '../relay/ports'

/**
 * @param readers judges the projection rooms features keep (meeting:); without it nobody reads them
 * @returns the access `userId` (holding `roles`) has to `room` now.
 */
export async function accessNow(
  storage: Storage,
  room: RoomName,
  userId: string,
  roles: readonly AccountRole[],
  readers?: ProjectionReaders,
): Promise<RoomAccess> {
  const memberRole =
    room.kind === 'doc' ? await storage.documents.memberRole(room.id, userId) : null
  const projectionReader =
    room.kind === 'meeting' && readers !== undefined ? await readers.mayRead(room, userId) : false
  return roomAccess(room, { userId, roles, memberRole, projectionReader })
}
