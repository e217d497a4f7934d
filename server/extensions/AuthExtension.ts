/**
 * Authenticates sockets from the session token and decides their room access before they join;
 * closes them when their session expires. A socket outlives no session: each session with sockets
 * on this node has one timer, set to the session's expiry and re-read from the database when it
 * fires (another node, or an HTTP request, may have used the session since). Edits sent over a
 * socket count as use of the session, as requests do.
 */
import { CloseEvents } from '../../shared/protocol/closeEvents'
import type { AccountService } from '../services/AccountService'
import { parseRoles } from '../services/accountViews'
import type { Storage } from '../storage/Storage'
import type { AuditService } from '../audit/AuditService'
import type { Logger } from '../logger'
import { RelayRefusal } from '../relay/verdicts'
import type { MessageVerdict } from '../relay/verdicts'
import type { Connection } from '../relay/Connection'
import type { ConnectionIdentity, UpgradeRequest } from '../relay/identity'
import type { ConnectionPayload, Extension, MessagePayload } from '../relay/hooks'
import { PRIORITY } from './priorities'
import { accessWithState } from './accessNow'
import type { ProjectionReaders } from '../relay/ports'

/** Checked a little after the expiry, so the session has expired by then. */
const EXPIRY_SLACK_MS = 50
/** When the expiry could not be read, the next try (ms). */
const RETRY_MS = 5_000

/** The sockets of one session on this node, and the timer of its expiry. */
interface SessionSockets {
  readonly connections: Set<Connection>
  timer: NodeJS.Timeout | null
  /** When an edit over these sockets last marked the session as used. */
  touchedAt: number
}

/** Token → identity, identity + room → access; session expiry → close. */
export class AuthExtension implements Extension {
  readonly name = 'auth'
  readonly priority = PRIORITY.auth
  private readonly sessions = new Map<string, SessionSockets>()

  constructor(
    private readonly accounts: AccountService,
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly logger: Logger,
    /** Who reads the projection rooms features keep (meeting:<id>). */
    private readonly readers?: ProjectionReaders,
  ) {}

  async onAuthenticate(request: UpgradeRequest): Promise<ConnectionIdentity> {
    const principal = await this.accounts.authenticate(request.token)
    if (principal === null) {
      throw new RelayRefusal(CloseEvents.unauthorized)
    }
    const { user } = principal
    if (user.must_change_password === 1) {
      // Signed in with an activation code: nothing but setting the password (DESIGN.md §6).
      await this.audit.record({
        actor: { id: user.id, name: user.display_name },
        action: 'auth.password_change_required',
        target: user.id,
        detail: { room: request.room.kind },
        ip: request.remoteAddress,
      })
      throw new RelayRefusal(CloseEvents.passwordChangeRequired)
    }
    const roles = parseRoles(user.roles)
    const { access, archived } = await accessWithState(
      this.storage,
      request.room,
      user.id,
      roles,
      this.readers,
    )
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
      archived,
    }
  }

  onConnect({ connection }: ConnectionPayload): void {
    const tokenHash = connection.identity.tokenHash
    let session = this.sessions.get(tokenHash)
    if (session === undefined) {
      session = { connections: new Set(), timer: null, touchedAt: Date.now() }
      this.sessions.set(tokenHash, session)
      void this.check(tokenHash, session)
    }
    session.connections.add(connection)
  }

  onMessage({ connection, kind }: MessagePayload): MessageVerdict {
    if (kind !== 'sync-write') {
      // Awareness is renewed by the client on its own every few seconds: not a sign of a user.
      return 'accept'
    }
    const session = this.sessions.get(connection.identity.tokenHash)
    const now = Date.now()
    if (session !== undefined && now - session.touchedAt >= this.accounts.touchEveryMs) {
      session.touchedAt = now
      void this.accounts
        .touchSession(connection.identity.tokenHash)
        .catch((error: unknown) =>
          this.logger.warn('session touch failed', { error: String(error) }),
        )
    }
    return 'accept'
  }

  onDisconnect({ connection }: ConnectionPayload): void {
    const tokenHash = connection.identity.tokenHash
    const session = this.sessions.get(tokenHash)
    if (session === undefined) {
      return
    }
    session.connections.delete(connection)
    if (session.connections.size === 0) {
      if (session.timer !== null) {
        clearTimeout(session.timer)
      }
      this.sessions.delete(tokenHash)
    }
  }

  async onDestroy(): Promise<void> {
    for (const session of this.sessions.values()) {
      if (session.timer !== null) {
        clearTimeout(session.timer)
      }
    }
    this.sessions.clear()
  }

  /** Reads the session's expiry: closes its sockets when it has ended, else waits for it. */
  private async check(tokenHash: string, session: SessionSockets): Promise<void> {
    let delay: number
    try {
      const expiresAt = await this.accounts.sessionExpiry(tokenHash)
      if (this.sessions.get(tokenHash) !== session) {
        return
      }
      if (expiresAt === null) {
        for (const connection of [...session.connections]) {
          connection.close(CloseEvents.unauthorized)
        }
        return
      }
      delay = expiresAt - Date.now() + EXPIRY_SLACK_MS
    } catch (error) {
      this.logger.warn('session expiry check failed', { error: String(error) })
      delay = RETRY_MS
    }
    if (this.sessions.get(tokenHash) !== session) {
      return
    }
    session.timer = setTimeout(
      () => void this.check(tokenHash, session),
      Math.max(delay, EXPIRY_SLACK_MS),
    )
    session.timer.unref()
  }
}
