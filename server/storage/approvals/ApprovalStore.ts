/**
 * Approvals on Kysely (SQLite and PostgreSQL alike): the instance row, its append-only actions,
 * the 待办 rows and participants kept in the same transaction as each action, and the 发文字号
 * register. Commands on one approval are serialised by `lock`, an UPDATE of the approval's row:
 * PostgreSQL holds its row lock until the transaction ends (across nodes), SQLite runs one
 * transaction at a time.
 */
import type { Selectable } from 'kysely'
import type { ApprovalActionsTable, ApprovalTodosTable, ApprovalsTable } from './approvalSchema'
import { ApprovalLookups } from './ApprovalLookups'

/** Document ids per query of `runningOf`. */
const RUNNING_CHUNK = 256

/** An approval row. */
export type ApprovalRow = Selectable<ApprovalsTable>
/** An action row. */
export type ApprovalActionRow = Selectable<ApprovalActionsTable>
/** A 待办 row. */
export type TodoRow = Selectable<ApprovalTodosTable>

/** A 待办 row with its approval's listing fields. */
export interface TodoListRow extends TodoRow {
  readonly title: string
  readonly subject_type: string
  readonly form_id: string | null
  readonly document_id: string | null
  readonly status: string
  readonly current_stage_id: string | null
  readonly current_stage_name: string | null
  readonly initiator_id: string
  readonly instance: string
  readonly deadline_at: number | null
  readonly created_at: number
}

/** What a listing of a box wants. */
export interface TodoListing {
  readonly box: string
  readonly limit: number
  /** Rows updated before this time (ms), for paging. */
  readonly before: number | null
}

/** The leaders a deputy acts for now, by the scope of their delegation. */
export interface DelegatedLeaders {
  /** Leaders whose every pending stage the deputy covers (`all`). */
  readonly all: readonly string[]
  /** Leaders whose 签发 stages only the deputy covers (`signoff`). */
  readonly signoff: readonly string[]
}

const TODO_LIST_COLUMNS = [
  't.user_id',
  't.approval_id',
  't.box',
  't.reopened',
  't.stage_kind',
  't.updated_at',
  'a.title',
  'a.subject_type',
  'a.form_id',
  'a.document_id',
  'a.status',
  'a.current_stage_id',
  'a.current_stage_name',
  'a.initiator_id',
  'a.instance',
  'a.deadline_at',
  'a.created_at',
] as const

/** The approvals tables. */
export class ApprovalStore extends ApprovalLookups {
  async insert(row: ApprovalRow): Promise<void> {
    await this.db.insertInto('approvals').values(row).execute()
  }

  async byId(id: string): Promise<ApprovalRow | null> {
    const row = await this.db
      .selectFrom('approvals')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row ?? null
  }

  /**
   * Takes the approval's row lock for the rest of the transaction (bumps its version).
   * @returns the row, or null when there is no such approval
   */
  async lock(id: string): Promise<ApprovalRow | null> {
    const row = await this.db
      .updateTable('approvals')
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst()
    return row ?? null
  }

  /** Sets the listing fields after an action. */
  async updateSummary(
    id: string,
    changes: Pick<
      ApprovalRow,
      | 'status'
      | 'current_stage_id'
      | 'current_stage_name'
      | 'deadline_at'
      | 'remind_at'
      | 'updated_at'
    >,
  ): Promise<void> {
    await this.db.updateTable('approvals').set(changes).where('id', '=', id).execute()
  }

  /** @returns an approval's actions in the server's order. */
  async actions(approvalId: string): Promise<ApprovalActionRow[]> {
    return this.db
      .selectFrom('approval_actions')
      .selectAll()
      .where('approval_id', '=', approvalId)
      .orderBy('seq', 'asc')
      .execute()
  }

  async appendAction(row: ApprovalActionRow): Promise<void> {
    await this.db.insertInto('approval_actions').values(row).execute()
  }

  /** @returns the users who hold any 待办 row of the approval. */
  async todoUsers(approvalId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('approval_todos')
      .select('user_id')
      .distinct()
      .where('approval_id', '=', approvalId)
      .execute()
    return rows.map((row) => row.user_id)
  }

  /** Replaces the approval's 待办 rows and participants (bounded by the instance's limits). */
  async replaceTodos(
    approvalId: string,
    todos: readonly TodoRow[],
    participants: readonly string[],
  ): Promise<void> {
    await this.db.deleteFrom('approval_todos').where('approval_id', '=', approvalId).execute()
    for (let i = 0; i < todos.length; i += 200) {
      await this.db
        .insertInto('approval_todos')
        .values(todos.slice(i, i + 200))
        .execute()
    }
    await this.db
      .deleteFrom('approval_participants')
      .where('approval_id', '=', approvalId)
      .execute()
    const rows = [...new Set(participants)].map((user_id) => ({
      approval_id: approvalId,
      user_id,
    }))
    for (let i = 0; i < rows.length; i += 200) {
      await this.db
        .insertInto('approval_participants')
        .values(rows.slice(i, i + 200))
        .execute()
    }
  }

  /** @returns the approval's participants. */
  async participants(approvalId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('approval_participants')
      .select('user_id')
      .where('approval_id', '=', approvalId)
      .execute()
    return rows.map((row) => row.user_id)
  }

  /** @returns whether the user may read the approval (and its room). */
  async isParticipant(approvalId: string, userId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('approval_participants')
      .select('user_id')
      .where('approval_id', '=', approvalId)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return row !== undefined
  }

  /** @returns a user's rows of one box, newest first (index approval_todos_box). */
  async todos(userId: string, listing: TodoListing): Promise<TodoListRow[]> {
    let query = this.db
      .selectFrom('approval_todos as t')
      .innerJoin('approvals as a', 'a.id', 't.approval_id')
      .select(TODO_LIST_COLUMNS)
      .where('t.user_id', '=', userId)
      .where('t.box', '=', listing.box)
    if (listing.before !== null) {
      query = query.where('t.updated_at', '<', listing.before)
    }
    return query
      .orderBy('t.updated_at', 'desc')
      .orderBy('t.approval_id', 'desc')
      .limit(listing.limit)
      .execute()
  }

  /**
   * The `pending` rows of the leaders a deputy acts for, newest first: every row of `all` leaders,
   * the `signoff` rows of `signoff` leaders. One ordered scan of index approval_todos_box per
   * leader (a deputy acts for a few), merged here.
   */
  async delegatedPending(leaders: DelegatedLeaders, listing: TodoListing): Promise<TodoListRow[]> {
    const scans = [
      ...leaders.all.map((leader) => this.pendingOfLeader(leader, false, listing)),
      ...leaders.signoff.map((leader) => this.pendingOfLeader(leader, true, listing)),
    ]
    const rows = (await Promise.all(scans)).flat()
    rows.sort(
      (a, b) =>
        Number(b.updated_at) - Number(a.updated_at) ||
        (a.approval_id < b.approval_id ? 1 : a.approval_id > b.approval_id ? -1 : 0),
    )
    return rows.slice(0, listing.limit)
  }

  private async pendingOfLeader(
    leader: string,
    signoffOnly: boolean,
    listing: TodoListing,
  ): Promise<TodoListRow[]> {
    let query = this.db
      .selectFrom('approval_todos as t')
      .innerJoin('approvals as a', 'a.id', 't.approval_id')
      .select(TODO_LIST_COLUMNS)
      .where('t.user_id', '=', leader)
      .where('t.box', '=', 'pending')
    if (signoffOnly) {
      query = query.where('t.stage_kind', '=', 'signoff')
    }
    if (listing.before !== null) {
      query = query.where('t.updated_at', '<', listing.before)
    }
    return query
      .orderBy('t.updated_at', 'desc')
      .orderBy('t.approval_id', 'desc')
      .limit(listing.limit)
      .execute()
  }

  /**
   * @returns how many approvals are pending for `userId` or for a leader they act for (each
   *   approval once)
   */
  async pendingWithDelegated(userId: string, leaders: DelegatedLeaders): Promise<number> {
    const row = await this.db
      .selectFrom('approval_todos as t')
      .select((eb) => eb.fn.count<number>('t.approval_id').distinct().as('n'))
      .where('t.box', '=', 'pending')
      .where((eb) =>
        eb.or([
          eb('t.user_id', '=', userId),
          ...(leaders.all.length === 0 ? [] : [eb('t.user_id', 'in', leaders.all)]),
          ...(leaders.signoff.length === 0
            ? []
            : [
                eb.and([
                  eb('t.user_id', 'in', leaders.signoff),
                  eb('t.stage_kind', '=', 'signoff'),
                ]),
              ]),
        ]),
      )
      .executeTakeFirst()
    return Number(row?.n ?? 0)
  }

  /** @returns the pending rows of these users in one approval (primary key). */
  async pendingOf(
    approvalId: string,
    userIds: readonly string[],
  ): Promise<{ user_id: string; stage_kind: string | null }[]> {
    if (userIds.length === 0) {
      return []
    }
    return this.db
      .selectFrom('approval_todos')
      .select(['user_id', 'stage_kind'])
      .where('approval_id', '=', approvalId)
      .where('box', '=', 'pending')
      .where('user_id', 'in', [...userIds])
      .execute()
  }

  /** @returns how many rows a user has in each box. */
  async counts(userId: string): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('approval_todos')
      .select(['box', (eb) => eb.fn.countAll<number>().as('n')])
      .where('user_id', '=', userId)
      .groupBy('box')
      .execute()
    return Object.fromEntries(rows.map((row) => [row.box, Number(row.n)]))
  }

  /** @returns a document's approvals, newest first. */
  async byDocument(documentId: string): Promise<ApprovalRow[]> {
    return this.db
      .selectFrom('approvals')
      .selectAll()
      .where('document_id', '=', documentId)
      .orderBy('created_at', 'desc')
      .limit(100)
      .execute()
  }

  /**
   * The running approvals of many documents in one query per 256 ids: what the relay's per-document
   * watchers (body locks, 发文复核) poll for every loaded document at once, instead of a query per
   * document and update. The id list is padded to a power of two (repeating an id changes no
   * answer), so a few statement shapes serve every count.
   * @returns the running approvals whose document is one of `documentIds`
   */
  async runningOf(documentIds: readonly string[]): Promise<ApprovalRow[]> {
    const rows: ApprovalRow[] = []
    for (let i = 0; i < documentIds.length; i += RUNNING_CHUNK) {
      const chunk = documentIds.slice(i, i + RUNNING_CHUNK)
      const padded = 2 ** Math.ceil(Math.log2(chunk.length))
      while (chunk.length < padded) {
        chunk.push(chunk[0] ?? '')
      }
      rows.push(
        ...(await this.db
          .selectFrom('approvals')
          .selectAll()
          .where('status', '=', 'running')
          .where('document_id', 'in', chunk)
          .execute()),
      )
    }
    return rows
  }

  /**
   * Draws the next serial of a register counter, in the caller's transaction: one atomic upsert,
   * so concurrent draws never share a serial, and a rolled-back draw leaves no gap.
   */
  async nextSerial(key: string): Promise<number> {
    const row = await this.db
      .insertInto('approval_number_counters')
      .values({ key, last: 1 })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({
          last: eb('approval_number_counters.last', '+', 1),
        })),
      )
      .returning('last')
      .executeTakeFirstOrThrow()
    return Number(row.last)
  }
}
