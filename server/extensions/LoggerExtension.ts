/** Logs who joins and leaves which room. */
import type { Logger } from '../logger'
import type { Connection } from '../relay/Connection'
import type { Extension } from '../relay/types'
import type { Room } from '../relay/Room'

/** Connection lifecycle in the log. */
export class LoggerExtension implements Extension {
  readonly name = 'logger'

  constructor(private readonly logger: Logger) {}

  onConnect(connection: Connection): void {
    this.logger.info('join', {
      room: connection.roomName,
      user: connection.identity.username,
      access: connection.access,
    })
  }

  onDisconnect(connection: Connection, code: number): void {
    this.logger.info('leave', {
      room: connection.roomName,
      user: connection.identity.username,
      code,
    })
  }

  async onUnloadRoom(room: Room): Promise<void> {
    this.logger.debug('unload', { room: room.name })
  }
}
