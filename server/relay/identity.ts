/** Who a socket belongs to, and what its upgrade request asked for. */
import type { RoomAccess } from '../../shared/domain/permissions'
import type { RoomName } from '../../shared/protocol/rooms'
import type { AccountRole } from '../../shared/domain/roles'

/** Who is connecting, as established by authentication. */
export interface ConnectionIdentity {
  readonly userId: string
  readonly username: string
  readonly displayName: string
  readonly roles: readonly AccountRole[]
  /** SHA-256 of the session token the socket was opened with. */
  readonly tokenHash: string
  readonly access: RoomAccess
  /** The document room is archived (归档): its members only read, and their writes are refused. */
  readonly archived?: boolean
}

/** What an upgrade request asks for. */
export interface UpgradeRequest {
  readonly room: RoomName
  readonly roomName: string
  readonly token: string
  readonly remoteAddress: string
}
