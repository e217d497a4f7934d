/** Units' 机关代字 in the relational store. */
import type { Kysely, Selectable } from 'kysely'
import type { Database, UnitAgencyCodesTable } from '../schema'

/** A 机关代字 row. */
export type AgencyCodeRow = Selectable<UnitAgencyCodesTable>

/** 机关代字 on Kysely (both dialects). */
export class AgencyCodeStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Sets (or replaces) a unit's 机关代字. */
  async put(row: AgencyCodeRow): Promise<void> {
    await this.db
      .insertInto('unit_agency_codes')
      .values(row)
      .onConflict((oc) =>
        oc.column('unit_id').doUpdateSet({
          agency_code: row.agency_code,
          updated_at: row.updated_at,
          updated_by: row.updated_by,
        }),
      )
      .execute()
  }

  /** @returns the 机关代字 of these units that have one, by unit id. */
  async of(unitIds: readonly string[]): Promise<Map<string, string>> {
    if (unitIds.length === 0) {
      return new Map()
    }
    const rows = await this.db
      .selectFrom('unit_agency_codes')
      .select(['unit_id', 'agency_code'])
      .where('unit_id', 'in', [...unitIds])
      .execute()
    return new Map(rows.map((row) => [row.unit_id, row.agency_code]))
  }

  /** @returns every unit's 机关代字, by unit id. */
  async all(): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('unit_agency_codes')
      .select(['unit_id', 'agency_code'])
      .execute()
    return new Map(rows.map((row) => [row.unit_id, row.agency_code]))
  }
}
