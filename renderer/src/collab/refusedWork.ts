/**
 * Local changes the relay refused (DESIGN.md §3): kept aside on this device instead of being resent
 * at every opening or thrown away. A record holds the document as it was here (to export its text
 * or turn its body changes into 修订 suggestions) and the part the relay did not have, as a Yjs
 * update. One record per user and document, in its own IndexedDB database, so clearing the
 * document's local copy (which the next opening syncs from the relay) does not touch it.
 *
 * @example
 *   const work = captureRefusedWork(doc, relayState, 'update-refused', documentId, userId)
 *   await keepRefusedWork(work)
 */
import * as Y from 'yjs'
import { BODY_ROOT, META_ROOT, readBodyBlocks } from '../../../shared/gongwen/yBody'

/** Why the relay refused the changes. */
export type RefusalKind =
  /** A commenter's change went beyond comments and suggestions (or broke their rules). */
  | 'update-refused'
  /** A change marked the document 秘密/机密/绝密. */
  | 'classified-refused'
  /** The changes were larger than the relay takes in one message (1009). */
  | 'too-large'

/** Refused changes kept on this device. */
export interface RefusedWork {
  readonly documentId: string
  readonly userId: string
  readonly kind: RefusalKind
  readonly savedAt: number
  readonly title: string
  /** The document's body as it was here, one text block per entry. */
  readonly blocks: readonly string[]
  /** The whole document as it was here (Y.encodeStateAsUpdate). */
  readonly state: Uint8Array
  /** What the relay did not have (an update against its state vector). */
  readonly unsent: Uint8Array
}

const DATABASE = 'qilu-refused-work'
const STORE = 'work'

/** @returns the refused changes of `doc`, given the state the relay announced. */
export function captureRefusedWork(
  doc: Y.Doc,
  relayState: Map<number, number> | null,
  kind: RefusalKind,
  documentId: string,
  userId: string,
): RefusedWork {
  const title = doc.getMap<unknown>(META_ROOT).get('title')
  return {
    documentId,
    userId,
    kind,
    savedAt: Date.now(),
    title: typeof title === 'string' ? title : '',
    blocks: readBodyBlocks(doc.getXmlFragment(BODY_ROOT)).map((block) => block.text),
    state: Y.encodeStateAsUpdate(doc),
    unsent: Y.encodeStateAsUpdate(doc, Y.encodeStateVector(relayState ?? new Map())),
  }
}

/** @returns the refused work as plain text, for the 导出 file. */
export function refusedWorkText(work: RefusedWork): string {
  const saved = new Date(work.savedAt).toLocaleString('zh-CN', { hour12: false })
  return [
    `《${work.title || '未命名文档'}》未被服务器接受的修改（${saved} 保存于本机）`,
    '',
    ...work.blocks,
    '',
  ].join('\n')
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1)
    request.onupgradeneeded = () => {
      request.result.createObjectStore(STORE)
    }
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error ?? new Error('indexedDB.open failed'))
  })
}

async function run<T>(
  mode: IDBTransactionMode,
  act: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await open()
  try {
    return await new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(STORE, mode)
      const request = act(transaction.objectStore(STORE))
      transaction.oncomplete = () => resolve(request.result)
      transaction.onerror = () => reject(transaction.error ?? new Error('transaction failed'))
      transaction.onabort = () => reject(transaction.error ?? new Error('transaction aborted'))
    })
  } finally {
    db.close()
  }
}

const keyOf = (userId: string, documentId: string) => `${userId}:${documentId}`

function isRefusedWork(value: unknown): value is RefusedWork {
  return (
    typeof value === 'object' &&
    value !== null &&
    'state' in value &&
    value.state instanceof Uint8Array &&
    'blocks' in value &&
    Array.isArray(value.blocks)
  )
}

/** Keeps refused work (replacing an earlier record of the same document). */
export async function keepRefusedWork(work: RefusedWork): Promise<void> {
  await run('readwrite', (store) => store.put(work, keyOf(work.userId, work.documentId)))
}

/** @returns the refused work kept for a document, or null */
export async function loadRefusedWork(
  userId: string,
  documentId: string,
): Promise<RefusedWork | null> {
  const value: unknown = await run('readonly', (store) => store.get(keyOf(userId, documentId)))
  return isRefusedWork(value) ? value : null
}

/** Forgets refused work (once exported, submitted as suggestions or discarded). */
export async function forgetRefusedWork(userId: string, documentId: string): Promise<void> {
  await run('readwrite', (store) => store.delete(keyOf(userId, documentId)))
}
