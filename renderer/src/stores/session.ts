/**
 * The signed-in user and their token. The token lives in the platform's credential store (OS
 * keychain on desktop, localStorage on the web); the user is cached so the shell renders offline.
 */
import { computed, ref, shallowRef } from 'vue'
import { defineStore } from 'pinia'
import type { ApiUser } from '../../../shared/api'
import { isAdministrator } from '../../../shared/domain/org'
import { api } from '../api/client'
import { call } from '../api/call'
import {
  changePassword as changePasswordRoute,
  login as loginRoute,
  logout as logoutRoute,
  me,
} from '../../../shared/http/routes/auth'
import { ApiError } from '../api/errors'
import { getBridge } from '../bridge'
import { dropCache, readCache, writeCache } from './localCache'
import { isApiUser } from './guards'

const USER_KEY = 'qilu:user'

/** Why a session ended without the user asking (shown on the login screen). */
export type SessionEndReason =
  /** The relay no longer accepts the token (logged out elsewhere, expired, revoked). */
  | 'unauthorized'
  /** An administrator deactivated the account. */
  | 'deactivated'

/** The session. */
export const useSessionStore = defineStore('session', () => {
  const token = ref<string | null>(null)
  const user = shallowRef<ApiUser | null>(null)
  /** Set when the session ended by itself; the login screen shows it once. */
  const endReason = ref<SessionEndReason | null>(null)
  const restored = ref(false)

  const signedIn = computed(() => token.value !== null && user.value !== null)
  const mustChangePassword = computed(() => user.value?.mustChangePassword === true)
  const isAdmin = computed(() => user.value !== null && isAdministrator(user.value))

  function setUser(next: ApiUser): void {
    user.value = next
    writeCache(USER_KEY, next)
  }

  async function setToken(next: string | null): Promise<void> {
    token.value = next
    api.setToken(next)
    const bridge = getBridge()
    await (next === null ? bridge.clearCredential() : bridge.storeCredential(next))
  }

  /**
   * Restores the remembered session at start-up: the cached user at once (so the app opens
   * offline), then a background check with the relay.
   */
  async function restore(): Promise<void> {
    if (restored.value) {
      return
    }
    restored.value = true
    const stored = await getBridge().loadCredential()
    const cachedUser = readCache(USER_KEY, isApiUser)
    if (!stored.ok || stored.value === null || cachedUser === null) {
      return
    }
    token.value = stored.value
    api.setToken(stored.value)
    user.value = cachedUser
    void refresh()
  }

  /** Re-reads the user from the relay; a network failure keeps the cached one (offline mode). */
  async function refresh(): Promise<void> {
    try {
      const { user: fresh } = await call(me)
      setUser(fresh)
    } catch (error) {
      if (error instanceof ApiError && error.isNetwork) {
        return
      }
      // 401s end the session through the client's unauthorized handler.
    }
  }

  /** Logs in. @throws ApiError (invalid_credentials, locked_out, network, ...) */
  async function login(username: string, password: string): Promise<ApiUser> {
    const response = await call(loginRoute, { body: { username, password } }, { anonymous: true })
    endReason.value = null
    await setToken(response.token)
    setUser(response.user)
    return response.user
  }

  /** Replaces the password (or the activation code). @throws ApiError (weak_password, invalid_credentials) */
  async function changePassword(oldPassword: string, newPassword: string): Promise<void> {
    await call(changePasswordRoute, { body: { oldPassword, newPassword } })
    const current = user.value
    if (current !== null) {
      setUser({ ...current, mustChangePassword: false })
    }
    await refresh()
  }

  /** Forgets the session on this device (no server call). */
  async function endLocally(reason: SessionEndReason | null = null): Promise<void> {
    endReason.value = reason
    user.value = null
    dropCache(USER_KEY)
    await setToken(null)
  }

  /** Logs out on the relay (best effort: offline, the token is still forgotten here). */
  async function logout(): Promise<void> {
    if (token.value !== null) {
      await call(logoutRoute).catch(() => undefined)
    }
    await endLocally(null)
  }

  return {
    token,
    user,
    endReason,
    signedIn,
    mustChangePassword,
    isAdmin,
    restore,
    refresh,
    login,
    changePassword,
    endLocally,
    logout,
  }
})
