/**
 * Vue adapter of CollabSession: holds the session in a shallowRef (marked raw, so Vue never walks
 * the Y.Doc) and exposes the sync chip state as a ref. Destroys the session with the component.
 */
import { computed, markRaw, onBeforeUnmount, ref, shallowRef } from 'vue'
import type { ComputedRef, Ref, ShallowRef } from 'vue'
import { CollabSession } from './CollabSession'
import type { CloseAction } from './closeReasons'
import type { RefusedWork } from './refusedWork'
import { deriveSyncState } from './syncStatus'
import type { SyncFacts, SyncState } from './syncStatus'

/** What the editor view gets. */
export interface CollabSessionHandle {
  readonly session: ShallowRef<CollabSession | null>
  readonly facts: Ref<SyncFacts>
  readonly state: ComputedRef<SyncState>
  /** Opens a document, closing any previous one. @returns null when the view went away meanwhile */
  open(options: {
    documentId: string
    userId: string
    token: string
    canWrite: boolean | (() => boolean)
  }): Promise<CollabSession | null>
  /** Closes the current document. */
  close(): void
}

/**
 * @param onTerminalClose told when the relay refused or ended the socket for good, with the
 *   refused changes kept aside when it refused them
 */
export function useCollabSession(
  onTerminalClose: (action: Exclude<CloseAction, 'reconnect'>, work: RefusedWork | null) => void,
): CollabSessionHandle {
  const session = shallowRef<CollabSession | null>(null)
  const facts = ref<SyncFacts>({ connection: 'disconnected', synced: false, pending: false })
  const state = computed(() => deriveSyncState(facts.value))
  let alive = true
  let generation = 0

  function close(): void {
    generation++
    session.value?.destroy()
    session.value = null
  }

  async function open(options: {
    documentId: string
    userId: string
    token: string
    canWrite: boolean | (() => boolean)
  }): Promise<CollabSession | null> {
    close()
    const mine = generation
    const opened = await CollabSession.open({
      ...options,
      onChange: (next) => {
        if (mine === generation) {
          facts.value = next
        }
      },
      onTerminalClose: (action, work) => {
        if (mine === generation) {
          onTerminalClose(action, work)
        }
      },
    })
    if (!alive || mine !== generation) {
      // The view was closed or switched documents while the local copy loaded.
      opened.destroy()
      return null
    }
    session.value = markRaw(opened)
    facts.value = opened.facts
    return opened
  }

  onBeforeUnmount(() => {
    alive = false
    close()
  })

  return { session, facts, state, open, close }
}
