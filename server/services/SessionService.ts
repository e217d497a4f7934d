/** Sessions: bearer tokens to accounts, their idle expiry, the session list, logout and revocation. */
import type { Storage } from '../storage/Storage'
import type { UserRow } from '../storage/users/UserStore'
import type { RelayControl } from '../relay/ports'
import type { ApiSession } from '../../shared/api'
import { notFound, unauthorized } from '../domain/errors'
import { hashSecret } from '../auth/secrets'

/** Length of a session's public id (a prefix of its token hash). */
const SESSION_ID_LENGTH = 16
/** A session's last-seen time is written at most this often (ms), or a quarter of the idle time if less. */
const TOUCH_EVERY_MS = 60_000

/** An authenticated request's identity. */
export interface Principal {
  readonly user: UserRow
  readonly tokenHash: string
}

/** Sessions of accounts. */
export class SessionService {
  constructor(
    private readonly storage: Storage,
    private readonly control: RelayControl,
    private readonly sessionIdleMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Resolves a bearer token to its user; expired or unknown tokens and inactive users fail.
   * @returns null when the token does not authenticate.
   */
  async authenticate(token: string): Promise<Principal | null> {
    if (token.length === 0 || token.length > 128) {
      return null
    }
    const tokenHash = hashSecret(token)
    const session = await this.storage.sessions.withUser(tokenHash)
    if (session === null) {
      return null
    }
    const now = this.now()
    if (now - session.last_seen_at > this.sessionIdleMs) {
      await this.storage.sessions.delete(tokenHash)
      return null
    }
    const { user } = session
    if (user.active !== 1) {
      return null
    }
    if (now - session.last_seen_at > this.touchEveryMs) {
      await this.storage.sessions.touch(tokenHash, now)
    }
    return { user, tokenHash }
  }

  /** How often a live session's last-seen time is written (ms). */
  get touchEveryMs(): number {
    return Math.min(TOUCH_EVERY_MS, this.sessionIdleMs / 4)
  }

  /**
   * @returns when a session expires unless it is used again (ms since the epoch), or null when it
   *   has ended; an expired session is removed.
   */
  async sessionExpiry(tokenHash: string): Promise<number | null> {
    const session = await this.storage.sessions.byTokenHash(tokenHash)
    if (session === null) {
      return null
    }
    const expiresAt = session.last_seen_at + this.sessionIdleMs
    if (expiresAt <= this.now()) {
      await this.storage.sessions.delete(tokenHash)
      return null
    }
    return expiresAt
  }

  /** Marks a session as used now (its sockets' edits count as activity, like requests). */
  async touchSession(tokenHash: string): Promise<void> {
    await this.storage.sessions.touch(tokenHash, this.now())
  }

  /** @throws DomainError unauthorized when the token does not authenticate. */
  async requirePrincipal(token: string): Promise<Principal> {
    const principal = await this.authenticate(token)
    if (principal === null) {
      throw unauthorized()
    }
    return principal
  }

  /** Ends a session; its sockets close. */
  async logout(principal: Principal, ip: string | null = null): Promise<void> {
    await this.storage.unitOfWork(async (uow) => {
      await uow.sessions.delete(principal.tokenHash)
      uow.audit({
        actor: { id: principal.user.id, name: principal.user.display_name },
        action: 'auth.logout',
        target: principal.user.id,
        ip,
      })
    })
    this.control.sessionEnded(principal.tokenHash)
  }

  /** @returns the live sessions of the principal's account, the current one marked. */
  async sessions(principal: Principal): Promise<ApiSession[]> {
    const now = this.now()
    return (await this.storage.sessions.ofUser(principal.user.id))
      .filter((s) => now - s.last_seen_at <= this.sessionIdleMs)
      .map((s) => ({
        id: s.token_hash.slice(0, SESSION_ID_LENGTH),
        createdAt: new Date(s.created_at).toISOString(),
        lastSeenAt: new Date(s.last_seen_at).toISOString(),
        userAgent: s.user_agent,
        ip: s.ip,
        current: s.token_hash === principal.tokenHash,
      }))
  }

  /** Ends one of the principal's own sessions by its public id. @throws DomainError not_found */
  async revokeSession(principal: Principal, sessionId: string): Promise<void> {
    const match = (await this.storage.sessions.ofUser(principal.user.id)).find(
      (s) => s.token_hash.slice(0, SESSION_ID_LENGTH) === sessionId,
    )
    if (match === undefined) {
      throw notFound('会话')
    }
    await this.storage.unitOfWork(async (uow) => {
      await uow.sessions.delete(match.token_hash)
      uow.audit({
        actor: { id: principal.user.id, name: principal.user.display_name },
        action: 'auth.session_revoked',
        target: principal.user.id,
        detail: { session: sessionId },
      })
    })
    this.control.sessionEnded(match.token_hash)
  }
}
