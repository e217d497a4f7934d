/** Migration `013_approvals`: approvals, their actions, 待办 rows, participants and the register. */
import type { Kysely, Migration } from 'kysely'

/** @returns the migration (the same on SQLite and PostgreSQL). */
export function approvalsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('approvals')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('instance', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('subject_type', 'text', (c) => c.notNull())
        .addColumn('document_id', 'text')
        .addColumn('form_id', 'text')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('initiator_id', 'text', (c) => c.notNull())
        .addColumn('current_stage_id', 'text')
        .addColumn('current_stage_name', 'text')
        .addColumn('register_unit_id', 'text', (c) => c.notNull())
        // The current stage's time limit (epoch ms), null without one.
        .addColumn('deadline_at', 'bigint')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('approvals_document')
        .on('approvals')
        .columns(['document_id', 'created_at'])
        .execute()
      await db.schema
        .createTable('approval_actions')
        .addColumn('approval_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('nonce', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('device_id', 'text')
        .addColumn('signature', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('content', 'text')
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('approval_actions_pk', ['approval_id', 'seq'])
        // A nonce is unique per approval in the database itself: a replay is refused atomically,
        // whichever node receives it.
        .addUniqueConstraint('approval_actions_nonce', ['approval_id', 'nonce'])
        .execute()
      await db.schema
        .createTable('approval_todos')
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('approval_id', 'text', (c) => c.notNull())
        .addColumn('box', 'text', (c) => c.notNull())
        .addColumn('reopened', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('approval_todos_pk', ['user_id', 'approval_id', 'box'])
        .execute()
      await db.schema
        .createIndex('approval_todos_box')
        .on('approval_todos')
        .columns(['user_id', 'box', 'updated_at'])
        .execute()
      await db.schema
        .createIndex('approval_todos_approval')
        .on('approval_todos')
        .column('approval_id')
        .execute()
      await db.schema
        .createTable('approval_participants')
        .addColumn('approval_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('approval_participants_pk', ['approval_id', 'user_id'])
        .execute()
      await db.schema
        .createTable('approval_number_counters')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('last', 'integer', (c) => c.notNull())
        .execute()
    },
  }
}

/** Migration `014_approval_reminders`: when the current stage's reminder is due (epoch ms). */
export function approvalRemindersMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('approvals').addColumn('remind_at', 'bigint').execute()
      await db.schema
        .createIndex('approvals_remind')
        .on('approvals')
        .columns(['status', 'remind_at'])
        .execute()
    },
  }
}

/**
 * Migration `015_approval_todo_kind`: the current stage's kind on each `pending` 待办 row, so a
 * deputy's 待办 joins the rows of the leaders who delegated to them by scope (index
 * approval_todos_box still leads). Existing pending rows are filled from their instance.
 */
export function approvalTodoKindMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('approval_todos').addColumn('stage_kind', 'text').execute()
      const typed = db as unknown as Kysely<{
        approvals: { id: string; instance: string; current_stage_id: string | null; status: string }
        approval_todos: { approval_id: string; box: string; stage_kind: string | null }
      }>
      const running = await typed
        .selectFrom('approvals')
        .select(['id', 'instance', 'current_stage_id'])
        .where('status', '=', 'running')
        .execute()
      for (const row of running) {
        let kind: string | null = null
        try {
          const instance = JSON.parse(row.instance) as {
            stages?: { id: string; kind?: string }[]
          }
          kind = instance.stages?.find((stage) => stage.id === row.current_stage_id)?.kind ?? null
        } catch {
          kind = null
        }
        if (kind !== null) {
          await typed
            .updateTable('approval_todos')
            .set({ stage_kind: kind })
            .where('approval_id', '=', row.id)
            .where('box', '=', 'pending')
            .execute()
        }
      }
    },
  }
}
