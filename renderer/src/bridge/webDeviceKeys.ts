/**
 * The device keys of the web build: each account's SM2 key pair in this browser's IndexedDB, and
 * signatures made in the page. Weaker than the desktop client, where the main process keeps the
 * private key encrypted by the OS key store and the page never sees it: here any script running
 * in this origin could read it. The README says so, and admins may require the desktop client for
 * 签发.
 */
import {
  generateSm2KeyPair,
  isSm2PrivateKey,
  sm2PublicKeyOf,
  sm2Sign,
} from '../../../shared/crypto/sm2'
import type { Sm2KeyPair } from '../../../shared/crypto/sm2'

/** Where the key pairs are kept, by account. */
export interface KeyShelf {
  get(account: string): Promise<string | undefined>
  put(account: string, privateKey: string): Promise<void>
  delete(account: string): Promise<void>
}

const DATABASE = 'qilu-device-keys'
const STORE = 'keys'

function request<T>(operation: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    operation.onsuccess = () => resolve(operation.result)
    operation.onerror = () => reject(operation.error ?? new Error('IndexedDB request failed'))
  })
}

/** The IndexedDB shelf of this browser profile (opened on first use). */
export function indexedDbShelf(factory?: IDBFactory): KeyShelf {
  let opened: Promise<IDBDatabase> | null = null
  const database = (): Promise<IDBDatabase> => {
    opened ??= new Promise((resolve, reject) => {
      const idb = factory ?? globalThis.indexedDB
      if (idb === undefined) {
        reject(new Error('IndexedDB unavailable'))
        return
      }
      const open = idb.open(DATABASE, 1)
      open.onupgradeneeded = () => {
        open.result.createObjectStore(STORE)
      }
      open.onsuccess = () => resolve(open.result)
      open.onerror = () => reject(open.error ?? new Error('IndexedDB unavailable'))
    })
    return opened
  }
  const store = async (mode: IDBTransactionMode): Promise<IDBObjectStore> =>
    (await database()).transaction(STORE, mode).objectStore(STORE)
  return {
    async get(account) {
      const value: unknown = await request((await store('readonly')).get(account))
      return typeof value === 'string' ? value : undefined
    },
    async put(account, privateKey) {
      await request((await store('readwrite')).put(privateKey, account))
    },
    async delete(account) {
      await request((await store('readwrite')).delete(account))
    },
  }
}

/** Device keys over a shelf. */
export class WebDeviceKeys {
  constructor(private readonly shelf: KeyShelf) {}

  /** @returns the account's key pair on this browser, or null. */
  async load(account: string): Promise<Sm2KeyPair | null> {
    const privateKey = await this.shelf.get(account)
    return privateKey !== undefined && isSm2PrivateKey(privateKey)
      ? { privateKey, publicKey: sm2PublicKeyOf(privateKey) }
      : null
  }

  /** @returns the account's public key, making the key pair first when there is none. */
  async create(account: string): Promise<string> {
    const existing = await this.load(account)
    if (existing !== null) {
      return existing.publicKey
    }
    const pair = generateSm2KeyPair()
    await this.shelf.put(account, pair.privateKey)
    return pair.publicKey
  }

  /** @returns the signature of `data`, or null when this browser has no key for the account. */
  async sign(account: string, data: Uint8Array): Promise<string | null> {
    const pair = await this.load(account)
    return pair === null ? null : sm2Sign(data, pair.privateKey, pair.publicKey)
  }

  /** Forgets the account's key. */
  forget(account: string): Promise<void> {
    return this.shelf.delete(account)
  }
}
