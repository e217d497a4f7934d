/**
 * One open document: its Y.Doc, the IndexedDB copy on this device and the WebSocket provider to the
 * relay, plus the facts the sync chip needs. Framework-free; `useCollabDocument` adapts it to Vue.
 *
 * The Y.Doc and the provider are big mutable graphs: they are never put into Vue's reactivity (the
 * composable holds the session in a shallowRef and marks it raw).
 *
 * @example
 *   const session = await CollabSession.open({ documentId, userId, token, onChange, onClose })
 *   // bind the editor to session.doc.getXmlFragment('body') and session.provider.awareness
 *   session.destroy()
 */
import * as Y from 'yjs'
import { IndexeddbPersistence } from 'y-indexeddb'
import { docRoom } from '../../../shared/protocol/rooms'
import { relayTarget } from '../api/endpoint'
import { AckTracker } from './AckTracker'
import { RelayProvider } from './RelayProvider'
import { UpdateOutbox } from './UpdateOutbox'
import { closeAction } from './closeReasons'
import type { CloseAction } from './closeReasons'
import { captureRefusedWork, keepRefusedWork } from './refusedWork'
import type { RefusalKind, RefusedWork } from './refusedWork'
import type { SyncFacts } from './syncStatus'

/** The field of the Y.Doc the editor binds to (DESIGN.md §6: `body` is a Y.XmlFragment). */
export const BODY_FIELD = 'body'

/** Options of a session. */
export interface CollabSessionOptions {
  readonly documentId: string
  readonly userId: string
  readonly token: string
  /** Told whenever a fact behind the sync chip changes. */
  readonly onChange: (facts: SyncFacts) => void
  /**
   * Told when the relay closed the socket for good (the session has stopped reconnecting). When it
   * refused this device's changes, `work` holds them, kept aside, and the local copy was cleared
   * so that the next opening starts from the relay's state (null if they could not be kept).
   */
  readonly onTerminalClose: (
    action: Exclude<CloseAction, 'reconnect'>,
    work: RefusedWork | null,
  ) => void
  /** Relay WebSocket base URL (default: this origin's /sync, failing over to the other nodes). */
  readonly serverUrl?: string
  /** Longest wait for the local copy before showing the editor anyway (ms). */
  readonly localLoadTimeoutMs?: number
  /**
   * Whether this user may write the body (then an empty new body gets its first paragraph); asked
   * at the first sync, so the caller may still be loading the user's role when it opens.
   */
  readonly canWrite?: boolean | (() => boolean)
}

/** Delay between a local change and the barrier that confirms it (coalesces keystrokes). */
const BARRIER_DELAY_MS = 150

/**
 * @returns false only when the browser lists its IndexedDB databases and this one is not among
 *   them (true when it cannot tell)
 */
async function localCopyMayExist(name: string): Promise<boolean> {
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') {
    return true
  }
  try {
    const databases = await indexedDB.databases()
    return databases.some((database) => database.name === name)
  } catch {
    return true
  }
}

/** @returns the IndexedDB database name of a document for a user (one per user and document). */
export function localDatabaseName(userId: string, documentId: string): string {
  return `qilu:${userId}:doc:${documentId}`
}

/** An open document. */
export class CollabSession {
  readonly doc: Y.Doc
  readonly provider: RelayProvider
  /**
   * The local copy. y-indexeddb stores every update and merges its own update log into one
   * snapshot once it grows (PREFERRED_TRIM_SIZE), so the database does not grow without bound.
   */
  readonly local: IndexeddbPersistence
  /** Whether the local copy held any content when the document was opened. */
  hadLocalCopy = false

  private readonly acks = new AckTracker()
  /** Delivers this document's updates to the relay, other tabs and IndexedDB after each frame. */
  private readonly outbox: UpdateOutbox
  private connection: SyncFacts['connection'] = 'disconnected'
  private stopped = false
  private barrierTimer: ReturnType<typeof setTimeout> | null = null
  private readonly cleanups: (() => void)[] = []
  private onLocalUpdate: ((update: Uint8Array, origin: unknown) => void) | null = null

  private constructor(private readonly options: CollabSessionOptions) {
    this.doc = new Y.Doc()
    this.local = new IndexeddbPersistence(
      localDatabaseName(options.userId, options.documentId),
      this.doc,
    )
    // It connects only once the local copy is loaded, so the first exchange sends the difference.
    const relay = relayTarget(options.serverUrl)
    this.provider = new RelayProvider(relay.url, docRoom(options.documentId), this.doc, {
      params: { token: options.token },
      maxBackoffTime: 5000,
      nodes: relay.nodes,
      hooks: {
        onFirstAnswer: (update) => this.applyFirstAnswer(update),
        onBarrierAnswer: () => {
          if (this.acks.barrierAnswered()) {
            this.scheduleBarrier(0)
            this.emit()
          }
        },
      },
    })
    this.outbox = new UpdateOutbox(this.doc, [
      this.provider._updateHandler,
      this.local._storeUpdate,
    ])
    this.wire()
  }

  /**
   * Opens a document: loads the local copy, then connects (when the browser is online); on a first
   * open on this device (no local copy) connects at once.
   */
  static async open(options: CollabSessionOptions): Promise<CollabSession> {
    // No copy on this device yet (a first open): nothing to load, so connect at once and let the
    // relay send the document while the local database is created.
    const fresh = !(await localCopyMayExist(localDatabaseName(options.userId, options.documentId)))
    const session = new CollabSession(options)
    if (fresh) {
      session.hadLocalCopy = false
      if (navigator.onLine) {
        session.provider.connect()
      }
      session.emit()
      return session
    }
    await Promise.race([
      session.local.whenSynced,
      new Promise((resolve) => setTimeout(resolve, options.localLoadTimeoutMs ?? 3000)),
    ])
    session.hadLocalCopy = session.doc.store.clients.size > 0
    if (!session.stopped && navigator.onLine) {
      session.provider.connect()
    }
    session.emit()
    return session
  }

  /**
   * Resolves once the socket to the relay is open (and this session's first message sent), or
   * after `maxWaitMs`, or at once when it is not connecting. Creating the editor blocks the main
   * thread for tens of milliseconds: waiting for the socket first lets the relay load and send
   * the document meanwhile, instead of after.
   */
  whenSocketOpen(maxWaitMs: number): Promise<void> {
    if (this.connection === 'connected' || this.stopped || !this.provider.shouldConnect) {
      return Promise.resolve()
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        this.provider.off('status', onStatus)
        resolve()
      }
      const onStatus = ({ status }: { status: string }): void => {
        if (status === 'connected') {
          done()
        }
      }
      const timer = setTimeout(done, maxWaitMs)
      this.provider.on('status', onStatus)
    })
  }

  /**
   * Delivers what is queued now, to the relay and the local copy, and asks the relay to confirm it
   * at once instead of after the usual pause (Ctrl+S); the facts then report when it has.
   */
  saveNow(): void {
    clearTimeout(this.barrierTimer ?? undefined)
    this.barrierTimer = null
    this.sendBarrier()
  }

  /** The facts behind the sync chip right now. */
  get facts(): SyncFacts {
    return { connection: this.connection, synced: this.provider.synced, pending: this.acks.pending }
  }

  /** Stops syncing for good and releases the document (the local copy stays on disk). */
  destroy(): void {
    // The last keystrokes go out (and into the local copy) before the socket closes.
    this.outbox.destroy()
    this.stop()
    for (const cleanup of this.cleanups.splice(0)) {
      cleanup()
    }
    this.provider.destroy()
    void this.local.destroy()
    this.doc.destroy()
  }

  private wire(): void {
    const { doc, provider } = this

    // Every update that did not come from the relay is a local change to deliver: typing, and
    // content loaded from IndexedDB that the relay may never have received (offline edits).
    const onUpdate = (_update: Uint8Array, origin: unknown): void => {
      if (origin === provider) {
        return
      }
      this.acks.localChange()
      provider.localChange()
      this.scheduleBarrier()
      this.emit()
    }
    doc.on('update', onUpdate)
    this.cleanups.push(() => doc.off('update', onUpdate))
    this.onLocalUpdate = onUpdate

    provider.on('status', ({ status }) => {
      this.connection = status
      if (status !== 'connected') {
        this.acks.connectionLost()
      }
      this.emit()
    })
    provider.on('sync', (synced: boolean) => {
      if (synced) {
        this.initializeBody()
        // Confirms the initial state and anything sent in our answer to the relay's step 1.
        this.sendBarrier()
      }
      this.emit()
    })
    provider.on('connection-close', (event: CloseEvent | null) => {
      const action = closeAction(event?.code ?? null, event?.reason ?? '')
      if (action === 'reconnect') {
        return
      }
      // Stop before the provider schedules its reconnect (it checks shouldConnect when it fires).
      this.stop()
      if (
        action === 'update-refused' ||
        action === 'classified-refused' ||
        action === 'too-large'
      ) {
        void this.setAside(action).then((work) => this.options.onTerminalClose(action, work))
        return
      }
      this.options.onTerminalClose(action, null)
    })

    // Chromium keeps an open socket alive when the network goes away (and the provider only notices
    // after 30 s of silence), so follow the browser's own connectivity.
    const onOffline = (): void => {
      this.provider.disconnect()
      this.connection = 'disconnected'
      this.acks.connectionLost()
      this.emit()
    }
    const onOnline = (): void => {
      if (!this.stopped) {
        this.provider.connect()
      }
    }
    // A page that goes away delivers what its outbox holds first.
    const onPageHide = (): void => this.outbox.flush()
    window.addEventListener('offline', onOffline)
    window.addEventListener('online', onOnline)
    window.addEventListener('pagehide', onPageHide)
    this.cleanups.push(() => {
      window.removeEventListener('offline', onOffline)
      window.removeEventListener('online', onOnline)
      window.removeEventListener('pagehide', onPageHide)
    })
  }

  /**
   * Gives a brand-new body its first paragraph as soon as the relay confirms it is empty. Without
   * it the first keystroke creates the paragraph, and two people starting a new document at the
   * same moment would each create one (two paragraphs where both expected to share one).
   */
  private initializeBody(): void {
    const body = this.doc.getXmlFragment(BODY_FIELD)
    const { canWrite } = this.options
    const writer = typeof canWrite === 'function' ? canWrite() : canWrite === true
    if (!writer || body.length > 0) {
      return
    }
    this.doc.transact(() => body.insert(0, [new Y.XmlElement('paragraph')]))
  }

  /**
   * Applies the relay's first answer (on a first open, the whole document) with no `update`
   * listener on the Y.Doc, so Yjs does not encode it all over again as one update (about 30 ms for
   * a 30,000-character document with its history). The answer's own bytes then go through the
   * outbox like any update from the relay: into the local copy after the frame, not to the relay.
   * Should an observer change the document meanwhile, that change is delivered as usual too.
   */
  private applyFirstAnswer(update: Uint8Array): void {
    const { doc } = this
    const onLocalUpdate = this.onLocalUpdate
    const ownClock = Y.getState(doc.store, doc.clientID)
    this.outbox.withoutDelivery(() => {
      if (onLocalUpdate !== null) {
        doc.off('update', onLocalUpdate)
      }
      try {
        Y.applyUpdate(doc, update, this.provider)
      } catch (error) {
        // As y-protocols does with a bad update: report it, keep the session.
        setTimeout(() => {
          throw error
        })
        return
      } finally {
        if (onLocalUpdate !== null) {
          doc.on('update', onLocalUpdate)
        }
      }
      this.outbox.deliverLater(update, this.provider)
    })
    if (Y.getState(doc.store, doc.clientID) > ownClock) {
      const before = Y.decodeStateVector(Y.encodeStateVector(doc))
      before.set(doc.clientID, ownClock)
      const local = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(before))
      this.outbox.deliverLater(local, null)
      onLocalUpdate?.(local, null)
    }
  }

  /**
   * Keeps this device's refused changes aside, then clears the local copy: kept there, they would
   * be sent (and refused) again at every opening. Without a place to keep them, the copy stays.
   * @returns the kept work, or null
   */
  private async setAside(kind: RefusalKind): Promise<RefusedWork | null> {
    const { documentId, userId } = this.options
    let work: RefusedWork
    try {
      work = captureRefusedWork(this.doc, this.provider.relayState, kind, documentId, userId)
      await keepRefusedWork(work)
    } catch {
      return null
    }
    await this.local.clearData().catch(() => {})
    return work
  }

  private stop(): void {
    this.stopped = true
    this.provider.shouldConnect = false
    if (this.barrierTimer !== null) {
      clearTimeout(this.barrierTimer)
      this.barrierTimer = null
    }
    // Close the socket outside the close event that may have called us.
    queueMicrotask(() => this.provider.disconnect())
  }

  private scheduleBarrier(delay = BARRIER_DELAY_MS): void {
    if (this.barrierTimer !== null || !this.acks.needsBarrier) {
      return
    }
    this.barrierTimer = setTimeout(() => {
      this.barrierTimer = null
      this.sendBarrier()
    }, delay)
  }

  private sendBarrier(): void {
    // A barrier confirms what was sent before it: send the queued updates first.
    this.outbox.flush()
    if (!this.provider.synced || !this.acks.needsBarrier) {
      return
    }
    if (this.provider.sendSyncStep1()) {
      this.acks.barrierSent()
    }
  }

  private emit(): void {
    this.options.onChange(this.facts)
  }
}
