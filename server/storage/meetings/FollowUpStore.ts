/** A meeting's attached documents (agenda, materials) and its 议定事项 tasks (021). */
import type { Selectable } from 'kysely'
import type { MeetingDb, MeetingDocumentsTable, MeetingTasksTable } from './schema'

/** An attached document, with its title. */
export type MeetingDocumentRow = Selectable<MeetingDocumentsTable> & { title: string }
/** A task row. */
export type MeetingTaskRow = Selectable<MeetingTasksTable>
/** A task with its meeting's title (the owner's 待办 list). */
export type OwnedTaskRow = MeetingTaskRow & { meeting_title: string }

/** Follow-up rows on Kysely (both dialects). */
export class FollowUpStore {
  constructor(private readonly db: MeetingDb) {}

  async documents(meetingId: string): Promise<MeetingDocumentRow[]> {
    return this.db
      .selectFrom('meeting_documents as md')
      .innerJoin('documents as d', 'd.id', 'md.document_id')
      .select([
        'md.meeting_id',
        'md.document_id',
        'md.kind',
        'md.added_by',
        'md.added_at',
        'd.title as title',
      ])
      .where('md.meeting_id', '=', meetingId)
      .orderBy('md.added_at')
      .orderBy('md.document_id')
      .execute()
  }

  async attach(row: Selectable<MeetingDocumentsTable>): Promise<void> {
    await this.db.insertInto('meeting_documents').values(row).execute()
  }

  async detach(meetingId: string, documentId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('meeting_documents')
      .where('meeting_id', '=', meetingId)
      .where('document_id', '=', documentId)
      .executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  /**
   * @returns whether `userId` reads `documentId` through a meeting it is attached to: as that
   *   meeting's organiser or one of its invitees (persons, unit members, 列席, deputies).
   */
  async readsThroughMeeting(documentId: string, userId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('meeting_documents as md')
      .innerJoin('meetings as m', 'm.id', 'md.meeting_id')
      .leftJoin('meeting_invitees as mi', (join) =>
        join.onRef('mi.meeting_id', '=', 'md.meeting_id').on('mi.user_id', '=', userId),
      )
      .select('md.meeting_id')
      .where('md.document_id', '=', documentId)
      .where((eb) => eb.or([eb('m.organiser_id', '=', userId), eb('mi.user_id', 'is not', null)]))
      .limit(1)
      .executeTakeFirst()
    return row !== undefined
  }

  async tasks(meetingId: string): Promise<MeetingTaskRow[]> {
    return this.db
      .selectFrom('meeting_tasks')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .orderBy('created_at')
      .orderBy('id')
      .limit(500)
      .execute()
  }

  async countTasks(meetingId: string): Promise<number> {
    const row = await this.db
      .selectFrom('meeting_tasks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('meeting_id', '=', meetingId)
      .executeTakeFirst()
    return Number(row?.n ?? 0)
  }

  async task(id: string): Promise<MeetingTaskRow | null> {
    return (
      (await this.db
        .selectFrom('meeting_tasks')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst()) ?? null
    )
  }

  async insertTask(row: MeetingTaskRow): Promise<void> {
    await this.db.insertInto('meeting_tasks').values(row).execute()
  }

  /** Marks an open task done. @returns false when it was done already (a race lost). */
  async completeTask(id: string, by: string, at: number): Promise<boolean> {
    const result = await this.db
      .updateTable('meeting_tasks')
      .set({ status: 'done', done_at: at, done_by: by })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  /** @returns the tasks a person owns: open ones first by due date, then done ones, newest. */
  async owned(userId: string, limit: number): Promise<OwnedTaskRow[]> {
    return this.db
      .selectFrom('meeting_tasks as t')
      .innerJoin('meetings as m', 'm.id', 't.meeting_id')
      .selectAll('t')
      .select('m.title as meeting_title')
      .where('t.owner_id', '=', userId)
      .orderBy('t.status', 'desc')
      .orderBy('t.due_date')
      .orderBy('t.created_at')
      .limit(limit)
      .execute()
  }
}
