/** Accounts: login with lockout, password change, provisioning; sessions are SessionService's. */
import type { Storage } from '../storage/Storage'
import type { UserRow } from '../storage/users/UserStore'
import type { Work } from '../storage/UnitOfWork'
import type { RelayControl } from '../relay/ports'
import type { ApiSession } from '../../shared/api'
import { DomainError, conflict, lockedOut, rateLimited } from '../domain/errors'
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
import { SYSTEM_ACTOR } from '../audit/events'
import type { AuditActor } from '../audit/events'
import type { AuditService } from '../audit/AuditService'
import { SessionService } from './SessionService'
import type { Principal } from './SessionService'

export type { Principal } from './SessionService'
export { parseRoles, toApiUser } from './accountViews'

/** A valid scrypt hash of nothing anyone knows: checked when there is no password to check. */
const DUMMY_HASH =
  'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'

/** Where a login comes from. */
export interface ClientInfo {
  readonly ip: string | null
  readonly userAgent: string | null
}

/** What a new account is made of. */
export interface NewAccountInput {
  readonly username: string
  readonly displayName: string
  readonly unitId?: string | undefined
  readonly roles?: readonly string[] | undefined
  readonly password?: string | undefined
}

/** A new account's row, not yet stored, and its one-time activation code when it has no password. */
export interface NewAccount {
  readonly user: UserRow
  readonly activationCode: string | null
}

const usernameTaken = (username: string): DomainError =>
  conflict(`用户名 ${username} 已存在 (username taken)`)

/** Accounts and their credentials. */
export class AccountService {
  /** Sessions of accounts (tokens, expiry, logout). */
  readonly sessionService: SessionService

  constructor(
    private readonly storage: Storage,
    private readonly control: RelayControl,
    private readonly audit: AuditService,
    sessionIdleMs: number,
    private readonly limits: AuthLimiter,
    /** Failures that lock a username (settings: loginMaxFailures), for messages. */
    private readonly maxFailures: number,
    private readonly now: () => number = Date.now,
  ) {
    this.sessionService = new SessionService(storage, control, sessionIdleMs, now)
  }

  /**
   * Logs in with a password or, for a new account, its activation code. The client address and
   * the username each reserve their attempt before the password is checked (AuthLimiter); a
   * username that does not exist is counted, locked and timed like one that does.
   * @throws DomainError invalid_credentials, locked_out, rate_limited
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
    // Refusals are recorded on their own: they must stay in the log although the login fails.
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
      throw lockedOut(this.now() + attempt.retryAfterMs, this.now())
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
        throw new DomainError(
          'invalid_credentials',
          `用户名或密码错误；连续失败 ${this.maxFailures} 次，账号已锁定至 ${when} (wrong password; locked until ${when})`,
        )
      }
      throw new DomainError('invalid_credentials', '用户名或密码错误 (wrong username or password)')
    }
    const signedIn = usable
    await this.limits.clearAccount(username)
    await this.limits.releaseAddress(address)
    const token = newToken()
    await this.storage.unitOfWork(async (uow) => {
      if (signedIn.failed_logins !== 0 || signedIn.locked_until !== null) {
        await uow.users.update(signedIn.id, { failed_logins: 0, locked_until: null })
      }
      await uow.sessions.insert(hashSecret(token), signedIn.id, this.now(), client)
      uow.audit({ actor, action: 'auth.login', target: signedIn.id, ip: client.ip })
    })
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
    await this.storage.unitOfWork(async (uow) => {
      await uow.users.markLocked(username, lockedUntil, this.maxFailures)
      uow.audit({
        actor: SYSTEM_ACTOR,
        action: 'auth.lockout',
        target: user?.id ?? null,
        detail: {
          username,
          failures: this.maxFailures,
          until: new Date(lockedUntil).toISOString(),
        },
        ip,
      })
    })
  }

  /**
   * Forgets a username's failed attempts in the limiter (an admin's reset or reactivation). The
   * admin view's record of the lock is the caller's to clear, in its unit of work
   * (`uow.users.markLocked(username, null, 0)`); the limiter's store is not part of it.
   */
  async clearLockout(username: string): Promise<void> {
    await this.limits.clearAccount(username)
  }

  /**
   * Builds a new account: checks the password policy and hashes the password, or makes an
   * activation code. Stores nothing (see `inserting`).
   * @throws DomainError conflict when the username is taken, weak_password
   */
  async newAccount(input: NewAccountInput): Promise<NewAccount> {
    if ((await this.storage.users.byUsername(input.username)) !== null) {
      throw usernameTaken(input.username)
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
      ...(await nameIndex(input.displayName)),
    }
    return { user, activationCode }
  }

  /**
   * Runs a unit of work that inserts the account of `username`. Two creations of one name (in any
   * case) at once: the unique index on lower(username) decides, and the loser gets conflict.
   */
  async inserting<T>(username: string, work: Work<T>): Promise<T> {
    try {
      return await this.storage.unitOfWork(work)
    } catch (error) {
      if ((await this.storage.users.byUsername(username)) !== null) {
        throw usernameTaken(username)
      }
      throw error
    }
  }

  /**
   * Sets a new password after checking the old one (or the activation code). Every attempt counts
   * toward the account's password change limit; a wrong old password counts like a failed login
   * (the same lock, the same per-address limit). The account's other sessions end.
   * @throws DomainError wrong_current_password, weak_password, locked_out, rate_limited
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
    const limited = async (scope: 'account' | 'address', retryAfterMs: number) => {
      await this.audit.record({
        actor,
        action: 'auth.rate_limited',
        target: user.id,
        detail: { scope, route: 'password' },
        ip,
      })
      return rateLimited(retryAfterMs)
    }
    const attempts = await this.limits.reservePasswordChange(user.id)
    if (!attempts.ok) {
      throw await limited('account', attempts.retryAfterMs)
    }
    const address = ip ?? 'unknown'
    const byAddress = await this.limits.reserveAddress(address)
    if (!byAddress.ok) {
      throw await limited('address', byAddress.retryAfterMs)
    }
    const attempt = await this.limits.reserveAccount(user.username)
    if (!attempt.ok) {
      await refused('locked_out')
      throw lockedOut(this.now() + attempt.retryAfterMs, this.now())
    }
    if (!(await this.secretMatches(user, oldPassword))) {
      const lockedUntil = await this.limits.failedAccount(user.username, attempt)
      await refused('wrong_password')
      if (lockedUntil !== null) {
        await this.recordLock(user.username, user, lockedUntil, ip)
      }
      throw new DomainError('wrong_current_password', '原密码错误 (the current password is wrong)')
    }
    await this.limits.clearAccount(user.username)
    await this.limits.releaseAddress(address)
    try {
      await checkPolicy(newPassword, user.username, user.display_name)
    } catch (error) {
      await refused('weak_password')
      throw error
    }
    const passwordHash = await hashPassword(newPassword)
    const ended = await this.storage.unitOfWork(async (uow) => {
      await uow.users.update(user.id, {
        password_hash: passwordHash,
        activation_hash: null,
        must_change_password: 0,
      })
      // Whoever else holds a session of this account (a thief among them) is signed out.
      const others = await uow.sessions.deleteOfUser(user.id, principal.tokenHash)
      uow.audit({
        actor,
        action: 'auth.password_changed',
        target: user.id,
        detail: { sessionsEnded: others.length },
        ip,
      })
      return others
    })
    for (const tokenHash of ended) {
      this.control.sessionEnded(tokenHash)
    }
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
    const { user } = await this.newAccount({
      username: 'admin',
      displayName: '系统管理员',
      roles: ['sysadmin'],
      password,
    })
    // A generated password is shown once; the admin must replace it at first login.
    const mustChange = configuredPassword === null ? 1 : 0
    await this.inserting(user.username, (uow) =>
      uow.users.insert({ ...user, must_change_password: mustChange }),
    )
    return configuredPassword === null ? password : null
  }

  /** @see SessionService.authenticate */
  authenticate(token: string): Promise<Principal | null> {
    return this.sessionService.authenticate(token)
  }

  /** @see SessionService.touchEveryMs */
  get touchEveryMs(): number {
    return this.sessionService.touchEveryMs
  }

  /** @see SessionService.sessionExpiry */
  sessionExpiry(tokenHash: string): Promise<number | null> {
    return this.sessionService.sessionExpiry(tokenHash)
  }

  /** @see SessionService.touchSession */
  touchSession(tokenHash: string): Promise<void> {
    return this.sessionService.touchSession(tokenHash)
  }

  /** @see SessionService.requirePrincipal */
  requirePrincipal(token: string): Promise<Principal> {
    return this.sessionService.requirePrincipal(token)
  }

  /** @see SessionService.logout */
  logout(principal: Principal, ip: string | null = null): Promise<void> {
    return this.sessionService.logout(principal, ip)
  }

  /** @see SessionService.sessions */
  sessions(principal: Principal): Promise<ApiSession[]> {
    return this.sessionService.sessions(principal)
  }

  /** @see SessionService.revokeSession */
  revokeSession(principal: Principal, sessionId: string): Promise<void> {
    return this.sessionService.revokeSession(principal, sessionId)
  }
}
