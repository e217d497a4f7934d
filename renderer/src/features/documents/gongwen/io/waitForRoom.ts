/**
 * Waiting on an open document session: until the relay has sent its state (or the local copy must
 * do, offline), and until every local change has been acknowledged by the relay.
 */
import type { CollabSession } from '../../../../collab/CollabSession'

/** @returns whether the session synced with the relay within `timeoutMs`. */
export function waitForSync(session: CollabSession, timeoutMs: number): Promise<boolean> {
  if (session.provider.synced) {
    return Promise.resolve(true)
  }
  return new Promise((resolve) => {
    const done = (synced: boolean): void => {
      clearTimeout(timer)
      session.provider.off('sync', onSync)
      resolve(synced)
    }
    const onSync = (synced: boolean): void => {
      if (synced) {
        done(true)
      }
    }
    const timer = setTimeout(() => done(false), timeoutMs)
    session.provider.on('sync', onSync)
  })
}

/**
 * @param facts reads the session's current facts (pending = changes not yet acknowledged)
 * @returns whether every local change was acknowledged within `timeoutMs`
 */
export async function waitForAcknowledged(
  facts: () => { readonly pending: boolean },
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (facts().pending) {
    if (Date.now() > deadline) {
      return false
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return true
}
