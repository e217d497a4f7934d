/** Bulk import jobs between validation and commit (ImportService). */
import type { Kysely, Selectable } from 'kysely'
import type { Database, ImportsTable } from './schema'

/** An import job row. */
export type ImportRow = Selectable<ImportsTable>

/** Import jobs on Kysely; bound to a transaction inside a unit of work. */
export class ImportStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: ImportRow): Promise<void> {
    await this.db.insertInto('imports').values(row).execute()
  }

  async byId(id: string): Promise<ImportRow | null> {
    return (
      (await this.db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst()) ??
      null
    )
  }

  async update(
    id: string,
    changes: Partial<Pick<ImportRow, 'status' | 'done' | 'payload'>>,
  ): Promise<void> {
    await this.db.updateTable('imports').set(changes).where('id', '=', id).execute()
  }
}
