/**
 * Accounts and stored documents of the editor benchmark: one local editor (the browser's user), the
 * remote editors, and documents whose room holds the built history the way the relay keeps a
 * long-edited document: a snapshot (the compacted older history) followed by a log of the latest
 * updates, one row each.
 */
import { docRoom } from '../../shared/protocol/rooms'
import { foldRoom } from '../../server/storage/roomlog/fold'
import { adminClient } from '../../tests/utils/relay'
import type { ApiClient, TestRelay } from '../../tests/utils/relay'
import type { BuiltHistory } from './history'

/** A signed-in account. */
export interface Account {
  readonly userId: string
  readonly token: string
  readonly name: string
}

/** The accounts of the benchmark. */
export interface Accounts {
  readonly admin: ApiClient
  readonly local: Account
  readonly remotes: readonly Account[]
}

/** Rows of the stored log after the snapshot (the relay compacts a room after 400–600 rows). */
export const LOG_TAIL_ROWS = 300

/** Creates the local editor and `remotes` remote editors. */
export async function createAccounts(relay: TestRelay, remotes: number): Promise<Accounts> {
  const admin = await adminClient(relay)
  const account = async (username: string, name: string): Promise<Account> => {
    const { userId, token } = await admin.createUser(username, name)
    return { userId, token, name }
  }
  const local = await account('bench.drafter', '起草人')
  const others: Account[] = []
  for (let i = 0; i < remotes; i++) {
    others.push(await account(`bench.colleague${i + 1}`, `同事${i + 1}`))
  }
  return { admin, local, remotes: others }
}

/**
 * Creates a document shared with every account as an editor, and stores the history in its room:
 * all but the last LOG_TAIL_ROWS updates folded into the snapshot (as the relay's compaction folds
 * them: applied to a Y.Doc and encoded once), the rest as logged rows.
 * @returns the document id
 */
export async function storeDocument(
  relay: TestRelay,
  accounts: Accounts,
  history: BuiltHistory,
  title: string,
): Promise<string> {
  const id = await accounts.admin.createDocument(title)
  for (const account of [accounts.local, ...accounts.remotes]) {
    await accounts.admin.share(id, account.userId, 'editor')
  }
  const room = docRoom(id)
  const split = history.updates.length - LOG_TAIL_ROWS
  const now = Date.now()
  // A snapshot covering no logged row (last id 0), then the tail as rows after it.
  const snapshot = foldRoom(
    { snapshot: null, updates: history.updates.slice(0, split), lastUpdateId: 0 },
    room,
  )
  await relay.storage.rooms.compact(room, snapshot, 0, now)
  await relay.storage.rooms.appendUpdates(room, history.updates.slice(split), now)
  return id
}
