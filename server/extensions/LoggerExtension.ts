/** Logs who joins and leaves which room. */
import type { Logger } from '../logger'
import type { ConnectionPayload, DisconnectPayload, Extension, RoomPayload } from '../relay/hooks'
import { PRIORITY } from './priorities'

/** Connection lifecycle in the log. */
export class LoggerExtension implements Extension {
  readonly name = 'logger'
  readonly priority = PRIORITY.logger

  constructor(private readonly logger: Logger) {}

  onConnect({ connection }: ConnectionPayload): void {
    this.logger.info('join', {
      room: connection.roomName,
      user: connection.identity.username,
      access: connection.access,
    })
  }

  onDisconnect({ connection, code }: DisconnectPayload): void {
    this.logger.info('leave', {
      room: connection.roomName,
      user: connection.identity.username,
      code,
    })
  }

  async onUnloadRoom({ room }: RoomPayload): Promise<void> {
    this.logger.debug('unload', { room: room.name })
  }
}
