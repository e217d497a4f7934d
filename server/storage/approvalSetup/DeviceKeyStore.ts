/** Device keys (SM2 public keys of an account's devices) in the relational store. */
import type { Kysely, Selectable } from 'kysely'
import type { Database, DeviceKeysTable } from '../schema'

/** A device key row. */
export type DeviceKeyRow = Selectable<DeviceKeysTable>

/** Device keys on Kysely (both dialects). */
export class DeviceKeyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: DeviceKeyRow): Promise<void> {
    await this.db.insertInto('device_keys').values(row).execute()
  }

  /** @returns the device, revoked or not, or null. */
  async byId(id: string): Promise<DeviceKeyRow | null> {
    return (
      (await this.db
        .selectFrom('device_keys')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst()) ?? null
    )
  }

  /** @returns the device holding this public key (lowercase hex), revoked or not, or null. */
  async byPublicKey(publicKey: string): Promise<DeviceKeyRow | null> {
    return (
      (await this.db
        .selectFrom('device_keys')
        .selectAll()
        .where('public_key', '=', publicKey)
        .executeTakeFirst()) ?? null
    )
  }

  /** @returns an account's devices, oldest first, revoked ones included (at most `limit`). */
  async ofUser(userId: string, limit: number): Promise<DeviceKeyRow[]> {
    return this.db
      .selectFrom('device_keys')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit)
      .execute()
  }

  /** @returns the active public keys of these accounts, by account, oldest first. */
  async activeKeysOf(userIds: readonly string[]): Promise<Map<string, string[]>> {
    const keys = new Map<string, string[]>()
    if (userIds.length === 0) {
      return keys
    }
    const rows = await this.db
      .selectFrom('device_keys')
      .select(['user_id', 'public_key'])
      .where('user_id', 'in', [...userIds])
      .where('revoked_at', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    for (const row of rows) {
      keys.set(row.user_id, [...(keys.get(row.user_id) ?? []), row.public_key])
    }
    return keys
  }

  /** @returns how many devices an account has: all of them, and those in force. */
  async counts(userId: string): Promise<{ total: number; active: number }> {
    const rows = await this.db
      .selectFrom('device_keys')
      .select(['revoked_at'])
      .where('user_id', '=', userId)
      .execute()
    return { total: rows.length, active: rows.filter((row) => row.revoked_at === null).length }
  }

  /** Marks a device revoked at `at` unless it is already. @returns whether it was in force */
  async revoke(id: string, at: number): Promise<boolean> {
    const result = await this.db
      .updateTable('device_keys')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  /**
   * Serialises the commands that change one account's devices (the cap is read, then written):
   * a no-op update takes the account row's lock on PostgreSQL and the write lock on SQLite.
   */
  async lockAccount(userId: string): Promise<void> {
    await this.db
      .updateTable('users')
      .set((eb) => ({ id: eb.ref('id') }))
      .where('id', '=', userId)
      .execute()
  }
}
