/** The relay serving the built web client, for end-to-end tests, with accounts made through the admin API. */
import path from 'node:path'
import { adminClient, startTestRelay, USER_PASSWORD } from './relay'
import type { ApiClient, TestRelay, TestRelayOptions } from './relay'

/** Built web client served by the test relay. */
export const WEB_ROOT = path.resolve(
  import.meta.dirname,
  '../..',
  process.env.QILU_E2E_WEB_ROOT ?? 'out/renderer',
)

/** A test account. */
export interface E2EUser {
  readonly id: string
  readonly username: string
  readonly displayName: string
  readonly password: string
  readonly token: string
  readonly api: ApiClient
}

/** A running relay with its admin client. */
export interface E2EApp {
  readonly relay: TestRelay
  readonly url: string
  readonly admin: ApiClient
  /** Creates an account that can log in at once with USER_PASSWORD. */
  createUser(username: string, displayName: string): Promise<E2EUser>
  close(): Promise<void>
}

/** Starts a relay on port 0 with a temporary data folder, serving out/renderer. */
export async function startE2EApp(options: TestRelayOptions = {}): Promise<E2EApp> {
  const relay = await startTestRelay({ ...options, webRoot: WEB_ROOT })
  const admin = await adminClient(relay)
  return {
    relay,
    url: relay.url,
    admin,
    async createUser(username, displayName) {
      const { api, userId, token } = await admin.createUser(username, displayName)
      return { id: userId, username, displayName, password: USER_PASSWORD, token, api }
    },
    close: () => relay.close(),
  }
}
