/** Admins' flow templates and forms in the relational store (JSON definitions). */
import type { Kysely, Selectable } from 'kysely'
import type { ApprovalFlowsTable, ApprovalFormsTable, Database } from '../schema'

/** A flow row. */
export type FlowRow = Selectable<ApprovalFlowsTable>
/** A form row. */
export type FormRow = Selectable<ApprovalFormsTable>

/** Admins' flows and forms on Kysely (both dialects). */
export class CatalogStore {
  constructor(private readonly db: Kysely<Database>) {}

  async flow(id: string): Promise<FlowRow | null> {
    return (
      (await this.db
        .selectFrom('approval_flows')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst()) ?? null
    )
  }

  /** @returns every admin flow, by id. */
  async flows(): Promise<FlowRow[]> {
    return this.db.selectFrom('approval_flows').selectAll().orderBy('id').execute()
  }

  /** @returns how many admin flows there are. */
  async flowCount(): Promise<number> {
    const row = await this.db
      .selectFrom('approval_flows')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  /** Creates or replaces a flow. */
  async putFlow(row: FlowRow): Promise<void> {
    await this.db
      .insertInto('approval_flows')
      .values(row)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          name: row.name,
          subject_type: row.subject_type,
          definition: row.definition,
          updated_at: row.updated_at,
          updated_by: row.updated_by,
        }),
      )
      .execute()
  }

  async form(id: string): Promise<FormRow | null> {
    return (
      (await this.db
        .selectFrom('approval_forms')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst()) ?? null
    )
  }

  /** @returns every admin form, by id. */
  async forms(): Promise<FormRow[]> {
    return this.db.selectFrom('approval_forms').selectAll().orderBy('id').execute()
  }

  /** @returns the admin forms that start this flow. */
  async formsOfFlow(flowId: string): Promise<FormRow[]> {
    return this.db
      .selectFrom('approval_forms')
      .selectAll()
      .where('flow_id', '=', flowId)
      .orderBy('id')
      .execute()
  }

  /** @returns how many admin forms there are. */
  async formCount(): Promise<number> {
    const row = await this.db
      .selectFrom('approval_forms')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  /** Creates or replaces a form. */
  async putForm(row: FormRow): Promise<void> {
    await this.db
      .insertInto('approval_forms')
      .values(row)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          name: row.name,
          flow_id: row.flow_id,
          definition: row.definition,
          updated_at: row.updated_at,
          updated_by: row.updated_by,
        }),
      )
      .execute()
  }
}
