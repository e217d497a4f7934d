/** Accounts and sessions: login with lockout, logout, provisioning, deactivation, password change. */
import type { Storage } from '../storage/Storage'
import type { UserRow } from '../storage/users/UserStore'
import type { RelayControl } from './control'
import type { AccountRole } from '../../shared/domain/roles'
import type { ApiSession, ApiUser } from '../../shared/api'
import { ApiError, lockedOut, notFound, rateLimited, unauthorized } from '../errors'
import type { AuthLimiter } from '../auth/AuthLimiter'
import {
  hashPassword,
  hashSecret,
  newActivationCode,
  newId,
  newToken,
  sameHash,
  verifyPassword,
} from '../auth/secrets'
import { checkPolicy } from '../auth/newPassword'
import { nameIndex } from './nameIndex'
import { SYSTEM_ACTOR } from '../audit/AuditService'
import type { AuditActor, AuditService } from '../audit/AuditService'

/** A valid scrypt hash of nothing anyone knows: checked when there is no password to check. */
const DUMMY_HASH =
  'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
/** Length of a session's public id (a prefix of its token hash). */
const SESSION_ID_LENGTH = 16
/** A session's last-seen time is written at most this often (ms), or a quarter of the idle time if less. */
const TOUCH_EVERY_MS = 60_000

/** Where a login comes from. */
export interface ClientInfo {
  readonly ip: string | null
  readonly userAgent: string | null
}

/** An authenticated request's identity. */
export interface Principal {
  readonly user: UserRow
  readonly tokenHash: string
}

/** @returns the API view of a user row. */
export function toApiUser(row: UserRow): ApiUser {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    roles: parseRoles(row.roles),
    unitId: row.unit_id,
    mustChangePassword: row.must_change_password === 1,
  }
}

/** @returns the roles stored as JSON on a user row. */
export function parseRoles(json: string): AccountRole[] {
  const value: unknown = JSON.parse(json)
  return Array.isArray(value) ? value.filter((r): r is AccountRole => typeof r === 'string') : []
}

/** Accounts and sessions. */
export class AccountService {
  constructor(
    private readonly storage: Storage,
    private readonly control: RelayControl,
    private readonly audit: AuditService,
    private readonly sessionIdleMs: number,
    private readonly limits: AuthLimiter,
    /** Failures that lock a username (settings: loginMaxFailures), for messages. */
    private readonly maxFailures: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Logs in with a password or, for a new account, its activation code. The client address and
   * the username each reserve their attempt before the password is checked (AuthLimiter); a
   * username that does not exist is counted, locked and timed like one that does.
   * @throws ApiError 401 invalid_credentials, 423 locked_out, 429 rate_limited
   */
  async login(
    username: string,
    password: string,
    client: ClientInfo = { ip: null, userAgent: null },
  ): Promise<{ token: string; user: UserRow }> {
    const address = client.ip ?? 'unknown'
    const byAddress = await this.limits.reserveAddress(address)
    if (!byAddress.ok) {
      await this.audit.record({
        actor: { id: null, name: username },
        action: 'auth.rate_limited',
        target: null,
        detail: { scope: 'address', route: 'login', username },
        ip: client.ip,
      })
      throw rateLimited(byAddress.retryAfterMs)
    }
    const user = await this.storage.users.byUsername(username)
    const actor: AuditActor =
      user === null ? { id: null, name: username } : { id: user.id, name: user.display_name }
    const fail = (reason: string) =>
      this.audit.record({
        actor,
        action: 'auth.login_failed',
        target: user?.id ?? null,
        detail: { username, reason },
        ip: client.ip,
      })
    const attempt = await this.limits.reserveAccount(username)
    if (!attempt.ok) {
      await fail('locked_out')
      throw lockedOut(this.now() + attempt.retryAfterMs)
    }
    const usable = user !== null && user.active === 1 ? user : null
    const matches = await this.secretMatches(usable, password)
    if (usable === null || !matches) {
      const lockedUntil = await this.limits.failedAccount(username, attempt)
      await fail(usable !== null ? 'wrong_password' : user === null ? 'unknown_user' : 'inactive')
      if (lockedUntil !== null) {
        await this.recordLock(username, user, lockedUntil, client.ip)
        // This attempt was a plain failure (401); the lockout answers 423 from the next attempt on.
        const when = new Date(lockedUntil).toISOString()
        throw new ApiError(
          401,
          'invalid_credentials',
          `用户名或密码错误；连续失败 ${this.maxFailures} 次，账号已锁定至 ${when} (wrong password; locked until ${when})`,
        )
      }
      throw new ApiError(
        401,
        'invalid_credentials',
        '用户名或密码错误 (wrong username or password)',
      )
    }
    const signedIn = usable
    await this.limits.clearAccount(username)
    await this.limits.releaseAddress(address)
    if (signedIn.failed_logins !== 0 || signedIn.locked_until !== null) {
      await this.storage.users.update(signedIn.id, { failed_logins: 0, locked_until: null })
    }
    const token = newToken()
    await this.storage.sessions.insert(hashSecret(token), signedIn.id, this.now(), client)
    await this.audit.record({ actor, action: 'auth.login', target: signedIn.id, ip: client.ip })
    return { token, user: signedIn }
  }

  /**
   * @returns whether `secret` is the account's password or its activation code. Always spends one
   *   scrypt, also for no account (null) or one with only an activation code, so the answer's
   *   timing does not tell which usernames exist.
   */
  private async secretMatches(user: UserRow | null, secret: string): Promise<boolean> {
    const hash = user?.password_hash ?? null
    const passwordOk = (await verifyPassword(secret, hash ?? DUMMY_HASH)) && hash !== null
    const code = user?.activation_hash ?? null
    const codeOk = code !== null && sameHash(hashSecret(secret), code)
    return passwordOk || codeOk
  }

  /** Audits a lock a failure just placed, and shows it in the admin view. */
  private async recordLock(
    username: string,
    user: UserRow | null,
    lockedUntil: number,
    ip: string | null,
  ): Promise<void> {
    await this.storage.users.markLocked(username, lockedUntil, this.maxFailures)
    await this.audit.record({
      actor: SYSTEM_ACTOR,
      action: 'auth.lockout',
      target: user?.id ?? null,
      detail: { username, failures: this.maxFailures, until: new Date(lockedUntil).toISOString() },
      ip,
    })
  }

  /** Lifts a username's lock and forgets its failures (an admin's reset or reactivation). */
  async unlock(user: UserRow): Promise<void> {
    await this.limits.clearAccount(user.username)
    await this.storage.users.markLocked(user.username, null, 0)
  }

  /**
   * Resolves a bearer token to its user; expired or unknown tokens and inactive users fail.
   * @returns null when the token does not authenticate.
   */
  async authenticate(token: string): Promise<Principal | null> {
    if (token.length === 0 || token.length > 128) {
      return null
    }
    const tokenHash = hashSecret(token)
    const session = await this.storage.sessions.byTokenHash(tokenHash)
    if (session === null) {
      return null
    }
    const now = this.now()
    if (now - session.last_seen_at > this.sessionIdleMs) {
      await this.storage.sessions.delete(tokenHash)
      return null
    }
    const user = await this.storage.users.byId(session.user_id)
    if (user === null || user.active !== 1) {
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

  /** @throws ApiError 401 when the token does not authenticate. */
  async requirePrincipal(token: string): Promise<Principal> {
    const principal = await this.authenticate(token)
    if (principal === null) {
      throw unauthorized()
    }
    return principal
  }

  /** Ends a session; its sockets close. */
  async logout(principal: Principal, ip: string | null = null): Promise<void> {
    await this.storage.sessions.delete(principal.tokenHash)
    this.control.sessionEnded(principal.tokenHash)
    await this.audit.record({
      actor: { id: principal.user.id, name: principal.user.display_name },
      action: 'auth.logout',
      target: principal.user.id,
      ip,
    })
  }

  /**
   * Creates an account. Without a password it gets a one-time activation code.
   * @throws ApiError 409 conflict when the username is taken, 400 weak_password
   */
  async createUser(input: {
    username: string
    displayName: string
    unitId?: string | undefined
    roles?: readonly string[] | undefined
    password?: string | undefined
  }): Promise<{ user: UserRow; activationCode: string | null }> {
    const taken = () =>
      new ApiError(409, 'conflict', `用户名 ${input.username} 已存在 (username taken)`)
    if ((await this.storage.users.byUsername(input.username)) !== null) {
      throw taken()
    }
    let activationCode: string | null = null
    let passwordHash: string | null = null
    if (input.password !== undefined) {
      await checkPolicy(input.password, input.username, input.displayName)
      passwordHash = await hashPassword(input.password)
    } else {
      activationCode = newActivationCode()
    }
    const user: UserRow = {
      id: newId(),
      username: input.username,
      display_name: input.displayName,
      password_hash: passwordHash,
      activation_hash: activationCode === null ? null : hashSecret(activationCode),
      must_change_password: activationCode === null ? 0 : 1,
      roles: JSON.stringify(input.roles ?? ['drafter']),
      unit_id: input.unitId ?? null,
      active: 1,
      failed_logins: 0,
      locked_until: null,
      created_at: this.now(),
      phone: null,
      phone_visibility: 'unit',
      deactivated_at: null,
      ...nameIndex(input.displayName),
    }
    try {
      await this.storage.users.insert(user)
    } catch (error) {
      // Two creations of one name (in any case) at once: the unique index on lower(username) decides.
      if ((await this.storage.users.byUsername(input.username)) !== null) {
        throw taken()
      }
      throw error
    }
    return { user, activationCode }
  }

  /**
   * Sets a new password after checking the old one (or the activation code). Every attempt counts
   * toward the account's password change limit; a wrong old password counts like a failed login
   * (the same lock, the same per-address limit).
   * @throws ApiError 400 invalid_credentials or weak_password, 423 locked_out, 429 rate_limited
   */
  async changePassword(
    principal: Principal,
    oldPassword: string,
    newPassword: string,
    ip: string | null = null,
  ): Promise<void> {
    const { user } = principal
    const actor = { id: user.id, name: user.display_name }
    const refused = (reason: string) =>
      this.audit.record({
        actor,
        action: 'auth.password_change_failed',
        target: user.id,
        detail: { reason },
        ip,
      })
    const attempts = await this.limits.reservePasswordChange(user.id)
    if (!attempts.ok) {
      await this.audit.record({
        actor,
        action: 'auth.rate_limited',
        target: user.id,
        detail: { scope: 'account', route: 'password' },
        ip,
      })
      throw rateLimited(attempts.retryAfterMs)
    }
    const address = ip ?? 'unknown'
    const byAddress = await this.limits.reserveAddress(address)
    if (!byAddress.ok) {
      await this.audit.record({
        actor,
        action: 'auth.rate_limited',
        target: user.id,
        detail: { scope: 'address', route: 'password' },
        ip,
      })
      throw rateLimited(byAddress.retryAfterMs)
    }
    const attempt = await this.limits.reserveAccount(user.username)
    if (!attempt.ok) {
      await refused('locked_out')
      throw lockedOut(this.now() + attempt.retryAfterMs)
    }
    if (!(await this.secretMatches(user, oldPassword))) {
      const lockedUntil = await this.limits.failedAccount(user.username, attempt)
      await refused('wrong_password')
      if (lockedUntil !== null) {
        await this.recordLock(user.username, user, lockedUntil, ip)
      }
      throw new ApiError(400, 'invalid_credentials', '原密码错误 (the current password is wrong)')
    }
    await this.limits.clearAccount(user.username)
    await this.limits.releaseAddress(address)
    try {
      await checkPolicy(newPassword, user.username, user.display_name)
    } catch (error) {
      await refused('weak_password')
      throw error
    }
    await this.storage.users.update(user.id, {
      password_hash: await hashPassword(newPassword),
      activation_hash: null,
      must_change_password: 0,
    })
    // Whoever else holds a session of this account (a thief among them) is signed out, sockets too.
    const ended = await this.storage.sessions.deleteOfUser(user.id, principal.tokenHash)
    for (const tokenHash of ended) {
      this.control.sessionEnded(tokenHash)
    }
    await this.audit.record({
      actor,
      action: 'auth.password_changed',
      target: user.id,
      detail: { sessionsEnded: ended.length },
      ip,
    })
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

  /** Ends one of the principal's own sessions by its public id. */
  async revokeSession(principal: Principal, sessionId: string): Promise<void> {
    const match = (await this.storage.sessions.ofUser(principal.user.id)).find(
      (s) => s.token_hash.slice(0, SESSION_ID_LENGTH) === sessionId,
    )
    if (match === undefined) {
      throw notFound('会话')
    }
    await this.storage.sessions.delete(match.token_hash)
    this.control.sessionEnded(match.token_hash)
    await this.audit.record({
      actor: { id: principal.user.id, name: principal.user.display_name },
      action: 'auth.session_revoked',
      target: principal.user.id,
      detail: { session: sessionId },
    })
  }

  /** Deactivates an account: its sessions end and its sockets close. */
  async deactivate(userId: string): Promise<UserRow> {
    const user = await this.storage.users.byId(userId)
    if (user === null) {
      throw notFound('用户')
    }
    await this.storage.users.update(userId, { active: 0 })
    await this.storage.sessions.deleteOfUser(userId)
    this.control.userDeactivated(userId)
    return { ...user, active: 0 }
  }

  /**
   * Creates the `admin` account on first start.
   * @returns the one-time password when none was configured, else null.
   */
  async bootstrapAdmin(configuredPassword: string | null): Promise<string | null> {
    if ((await this.storage.users.byUsername('admin')) !== null) {
      return null
    }
    const password = configuredPassword ?? `Qd-${newToken().slice(0, 16)}`
    const { user } = await this.createUser({
      username: 'admin',
      displayName: '系统管理员',
      roles: ['sysadmin'],
      password,
    })
    if (configuredPassword === null) {
      // A generated password is shown once; the admin must replace it at first login.
      await this.storage.users.update(user.id, { must_change_password: 1 })
      return password
    }
    return null
  }
}
