/** Per-connection message and awareness rates (fixed one-second windows). */
import { CloseEvents } from '../../shared/protocol/closeEvents'
import { AWARENESS_PER_SECOND, MESSAGES_PER_SECOND } from '../../shared/limits'
import type { Connection } from '../relay/Connection'
import type { Extension, MessagePayload } from '../relay/hooks'
import type { MessageVerdict } from '../relay/verdicts'
import { PRIORITY } from './priorities'

interface Window {
  start: number
  messages: number
  awareness: number
}

/** Closes floods, drops excess presence. */
export class LimitsExtension implements Extension {
  readonly name = 'limits'
  readonly priority = PRIORITY.limits
  private readonly windows = new WeakMap<Connection, Window>()

  constructor(
    private readonly messagesPerSecond = MESSAGES_PER_SECOND,
    private readonly awarenessPerSecond = AWARENESS_PER_SECOND,
    private readonly now: () => number = Date.now,
  ) {}

  onMessage({ connection, kind }: MessagePayload): MessageVerdict {
    const now = this.now()
    let window = this.windows.get(connection)
    if (window === undefined || now - window.start >= 1000) {
      window = { start: now, messages: 0, awareness: 0 }
      this.windows.set(connection, window)
    }
    window.messages++
    if (window.messages > this.messagesPerSecond) {
      return CloseEvents.rateLimited
    }
    if (kind === 'awareness') {
      window.awareness++
      if (window.awareness > this.awarenessPerSecond) {
        return 'drop'
      }
    }
    return 'accept'
  }
}
