/**
 * Who else has the document open, from the provider's awareness. The relay rewrites every
 * presence entry with the authenticated `{ id, name, color }`, so names here can be trusted.
 */
import { shallowRef, watch } from 'vue'
import type { ShallowRef } from 'vue'
import type { CollabSession } from './CollabSession'

/** @returns whether `value` is a plain object (a presence entry's `user` field may be anything). */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** One colleague shown in the editor's header. */
export interface PresentUser {
  readonly key: string
  readonly name: string
  readonly color: string
}

/** @returns the distinct users in awareness states other than this client's own user. */
export function presentUsers(
  states: Map<number, Record<string, unknown>>,
  selfClientId: number,
  selfUserId: string,
): PresentUser[] {
  const seen = new Map<string, PresentUser>()
  for (const [clientId, state] of states) {
    const user = state.user
    if (clientId === selfClientId || !isRecord(user) || typeof user.name !== 'string') {
      continue
    }
    const key = typeof user.id === 'string' ? user.id : `client-${clientId}`
    if (key === selfUserId || seen.has(key)) {
      continue
    }
    seen.set(key, {
      key,
      name: user.name,
      color: typeof user.color === 'string' ? user.color : '#646a73',
    })
  }
  return [...seen.values()]
}

/** Follows the awareness of the current session. */
export function usePresence(
  session: ShallowRef<CollabSession | null>,
  selfUserId: () => string,
): ShallowRef<PresentUser[]> {
  const present = shallowRef<PresentUser[]>([])
  watch(
    session,
    (current, _previous, onCleanup) => {
      present.value = []
      if (current === null) {
        return
      }
      const awareness = current.provider.awareness
      const update = (): void => {
        present.value = presentUsers(awareness.getStates(), awareness.clientID, selfUserId())
      }
      awareness.on('change', update)
      update()
      onCleanup(() => awareness.off('change', update))
    },
    { immediate: true },
  )
  return present
}
