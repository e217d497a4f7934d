/** Authenticates sockets from the session token and decides their room access before they join. */
import { CloseEvents } from '../../shared/protocol/closeEvents'
import { roomAccess } from '../../shared/domain/permissions'
import type { RoomName } from '../../shared/protocol/rooms'
import type { AccountService } from '../services/AccountService'
import { parseRoles } from '../services/AccountService'
import type { Storage } from '../storage/Storage'
import type { AccountRole } from '../../shared/domain/roles'
import type { RoomAccess } from '../../shared/domain/permissions'
import { RelayRefusal } from '../relay/types'
import type { ConnectionIdentity, Extension, UpgradeRequest } from '../relay/types'

/** Token → identity, identity + room → access. */
export class AuthExtension implements Extension {
  readonly name = 'auth'

  constructor(
    private readonly accounts: AccountService,
    private readonly storage: Storage,
  ) {}

  async onAuthenticate(request: UpgradeRequest): Promise<ConnectionIdentity> {
    const principal = await this.accounts.authenticate(request.token)
    if (principal === null) {
      throw new RelayRefusal(CloseEvents.unauthorized)
    }
    const { user } = principal
    const roles = parseRoles(user.roles)
    const access = await this.access(request.room, user.id, roles)
    if (access === 'none') {
      throw new RelayRefusal(CloseEvents.forbidden, { id: user.id, name: user.username })
    }
    return {
      userId: user.id,
      username: user.username,
      displayName: user.display_name,
      roles,
      tokenHash: principal.tokenHash,
      access,
    }
  }

  /** @returns the access a user has to a room now. */
  async access(room: RoomName, userId: string, roles: readonly AccountRole[]): Promise<RoomAccess> {
    const memberRole = room.kind === 'doc' ? await this.storage.memberRole(room.id, userId) : null
    return roomAccess(room, { userId, roles, memberRole })
  }
}
