/**
 * A meeting's follow-up: its agenda and material documents (read by every invitee through the
 * meeting's ACL, which the relay consults at each document room's upgrade), withdrawing an
 * invitation (which ends that reading at once), and 议定事项: tasks with an owner and a due date,
 * created by the organiser or an editor of the minutes and completed by their owner or the
 * organiser. Every change is one unit of work with its audit entry; refusals are audited.
 */
import type { AuditService } from '../audit/AuditService'
import type { Storage } from '../storage/Storage'
import type { RequestActor } from '../services/actor'
import type { DocumentService } from '../services/DocumentService'
import type { InboxService } from '../services/InboxService'
import type { RelayControl } from '../relay/ports'
import type { Logger } from '../logger'
import type { MeetingTaskView } from '../../shared/http/routes/meetings'
import type { OwnedMeetingTask } from '../../shared/http/routes/meetingFollowUp'
import { MAX_MEETING_DOCUMENTS, MAX_MEETING_TASKS } from '../../shared/http/routes/meetingFollowUp'
import { canEditBody } from '../../shared/domain/permissions'
import { badRequest, conflict, forbidden, notFound } from '../domain/errors'
import { newId } from '../auth/secrets'
import type { MeetingStores, MeetingStoresOn } from '../storage/meetings/stores'
import type { MeetingTaskRow } from '../storage/meetings/FollowUpStore'
import type { MeetingReader } from './MeetingReader'
import { meetingRoom } from './MeetingReader'
import { refusalsAudited } from './refusals'
import { taskView } from './view'

/** What the follow-up tells the live relay (sockets re-checked after an ACL change). */
export type FollowUpControl = Pick<
  RelayControl,
  'readersChanged' | 'memberChanged' | 'unitAccessChanged'
>

/** What attaching a document takes. */
export interface AttachInput {
  readonly kind: 'agenda' | 'material'
  readonly documentId?: string | undefined
  readonly title?: string | undefined
}

/** What recording a task takes. */
export interface TaskInput {
  readonly title: string
  readonly ownerId: string
  readonly dueDate: string
}

const ONLY_ORGANISER = '只有会议组织者可以操作 (only the organiser may)'

/** Agenda, materials, invitation withdrawal and 议定事项. */
export class FollowUpService {
  constructor(
    private readonly storage: Storage,
    private readonly stores: MeetingStores,
    private readonly bindStores: MeetingStoresOn,
    private readonly reader: MeetingReader,
    private readonly documents: DocumentService,
    private readonly inbox: InboxService,
    private readonly audit: AuditService,
    private readonly logger: Logger,
    private readonly control: FollowUpControl | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Attaches a document the organiser owns, or a new one made for the meeting.
   * @throws DomainError 403 unless the organiser, or a document not theirs; 404 unknown document;
   *   409 an agenda already, the document attached already, or too many (each audited)
   */
  async attach(
    actor: RequestActor,
    meetingId: string,
    input: AttachInput,
  ): Promise<{ documentId: string }> {
    const { organiser } = await this.reader.participation(actor, meetingId, 'meeting.document')
    return refusalsAudited(this.audit, actor, 'meeting.document', meetingId, async () => {
      if (!organiser) {
        throw forbidden(ONLY_ORGANISER)
      }
      const attached = await this.stores.followUp.documents(meetingId)
      if (attached.length >= MAX_MEETING_DOCUMENTS) {
        throw conflict(`每个会议最多 ${MAX_MEETING_DOCUMENTS} 份材料 (too many documents)`)
      }
      if (input.kind === 'agenda' && attached.some((row) => row.kind === 'agenda')) {
        throw conflict('此会议已有议程 (the meeting has an agenda already)')
      }
      let documentId = input.documentId
      if (documentId !== undefined) {
        const known = documentId
        if ((await this.storage.documents.byId(known)) === null) {
          throw notFound('文档')
        }
        if ((await this.storage.documents.memberRole(known, actor.userId)) !== 'owner') {
          throw forbidden('只能附加您本人拥有的文档 (only documents you own)')
        }
        if (attached.some((row) => row.document_id === known)) {
          throw conflict('该文档已附加到此会议 (attached already)')
        }
      } else {
        const owner = await this.storage.users.byId(actor.userId)
        if (owner === null) {
          throw notFound('用户')
        }
        const title = input.title ?? ''
        documentId = (await this.documents.create(owner, title, undefined, actor.event.ip)).id
      }
      const id = documentId
      await this.storage.unitOfWork(async (uow) => {
        await uow.bind(this.bindStores).followUp.attach({
          meeting_id: meetingId,
          document_id: id,
          kind: input.kind,
          added_by: actor.userId,
          added_at: this.now(),
        })
        uow.audit({
          ...actor.event,
          action: 'meeting.document_attach',
          target: meetingId,
          detail: { documentId: id, kind: input.kind, created: input.documentId === undefined },
        })
      })
      await this.reader.project(meetingId)
      return { documentId: id }
    })
  }

  /** @throws DomainError 403 unless the organiser; 404 not attached (each audited) */
  async detach(actor: RequestActor, meetingId: string, documentId: string): Promise<void> {
    const { organiser } = await this.reader.participation(actor, meetingId, 'meeting.document')
    await refusalsAudited(this.audit, actor, 'meeting.document', meetingId, async () => {
      if (!organiser) {
        throw forbidden(ONLY_ORGANISER)
      }
      await this.storage.unitOfWork(async (uow) => {
        if (!(await uow.bind(this.bindStores).followUp.detach(meetingId, documentId))) {
          throw notFound('会议材料')
        }
        uow.audit({
          ...actor.event,
          action: 'meeting.document_detach',
          target: meetingId,
          detail: { documentId },
        })
      })
    })
    // Readers through the meeting lose the document now, on open sockets too.
    this.control?.unitAccessChanged(documentId)
    await this.reader.project(meetingId)
  }

  /**
   * Withdraws an invitation, and that of the person's deputy (a deputy withdrawn hands the answer
   * back to whom they stood for).
   * @throws DomainError 403 unless the organiser; 404 not invited (each audited)
   */
  async withdraw(actor: RequestActor, meetingId: string, userId: string): Promise<string[]> {
    const { organiser, invitees } = await this.reader.participation(
      actor,
      meetingId,
      'meeting.withdraw',
    )
    const withdrawn = await refusalsAudited(
      this.audit,
      actor,
      'meeting.withdraw',
      meetingId,
      async () => {
        if (!organiser) {
          throw forbidden(ONLY_ORGANISER)
        }
        const row = invitees.find((invitee) => invitee.user_id === userId)
        if (row === undefined) {
          throw notFound('受邀人')
        }
        const gone = [userId, ...(row.deputy_id === null ? [] : [row.deputy_id])]
        await this.storage.unitOfWork(async (uow) => {
          const stores = uow.bind(this.bindStores)
          await stores.meetings.removeInvitees(meetingId, gone)
          if (row.deputy_for !== null) {
            await stores.meetings.updateInvitee(meetingId, row.deputy_for, {
              response: 'pending',
              deputy_id: null,
              responded_at: null,
            })
          }
          uow.audit({
            ...actor.event,
            action: 'meeting.withdraw',
            target: meetingId,
            detail: { userIds: gone },
          })
        })
        return gone
      },
    )
    const documents = await this.stores.followUp.documents(meetingId)
    for (const gone of withdrawn) {
      this.control?.readersChanged({ room: meetingRoom(meetingId), userId: gone })
      for (const doc of documents) {
        this.control?.memberChanged(doc.document_id, gone)
      }
    }
    await this.reader.project(meetingId)
    return withdrawn
  }

  /**
   * Records a 议定事项 and tells its owner.
   * @throws DomainError 403 unless the organiser or an editor of the minutes; 400 an unknown or
   *   deactivated owner; 409 too many (each audited)
   */
  async createTask(
    actor: RequestActor,
    meetingId: string,
    input: TaskInput,
  ): Promise<MeetingTaskView> {
    const { meeting, organiser } = await this.reader.participation(actor, meetingId, 'meeting.task')
    const task = await refusalsAudited(this.audit, actor, 'meeting.task', meetingId, async () => {
      const minutes = meeting.minutes_document_id
      const editor =
        minutes !== null &&
        canEditBody(await this.storage.documents.memberRole(minutes, actor.userId))
      if (!organiser && !editor) {
        throw forbidden(
          '只有会议组织者或纪要编辑者可以登记议定事项 (only the organiser or a minutes editor)',
        )
      }
      const owner = await this.storage.users.byId(input.ownerId)
      if (owner === null || owner.active !== 1) {
        throw badRequest('承办人不存在或已停用 (unknown or deactivated owner)')
      }
      if ((await this.stores.followUp.countTasks(meetingId)) >= MAX_MEETING_TASKS) {
        throw conflict(`每个会议最多 ${MAX_MEETING_TASKS} 项议定事项 (too many tasks)`)
      }
      const row: MeetingTaskRow = {
        id: newId(),
        meeting_id: meetingId,
        title: input.title,
        owner_id: owner.id,
        due_date: input.dueDate,
        status: 'open',
        created_by: actor.userId,
        created_at: this.now(),
        done_at: null,
        done_by: null,
      }
      await this.storage.unitOfWork(async (uow) => {
        await uow.bind(this.bindStores).followUp.insertTask(row)
        uow.audit({
          ...actor.event,
          action: 'meeting.task_create',
          target: meetingId,
          detail: { taskId: row.id, ownerId: owner.id, dueDate: input.dueDate },
        })
      })
      return taskView(row, new Map([[owner.id, owner.display_name]]))
    })
    void this.inbox
      .notify(
        {
          kind: 'meeting',
          text: `${actor.event.actor.name} 交办会议《${meeting.title}》议定事项：${task.title}`,
          excerpt: `办结时限：${task.dueDate}`,
          link: '/approvals',
          actor: actor.event.actor,
          dedupeKey: `meeting-task:${task.id}`,
        },
        [task.ownerId],
      )
      .catch((error: unknown) =>
        this.logger.error('task notice failed', { taskId: task.id, error: String(error) }),
      )
    await this.reader.project(meetingId)
    return task
  }

  /** @throws DomainError 404 unknown task; 403 unless its owner or the organiser; 409 done already */
  async completeTask(actor: RequestActor, taskId: string): Promise<MeetingTaskView> {
    const task = await this.stores.followUp.task(taskId)
    const meeting = task === null ? null : await this.stores.meetings.byId(task.meeting_id)
    if (task === null || meeting === null) {
      throw notFound('议定事项')
    }
    const done = await refusalsAudited(this.audit, actor, 'meeting.task_done', taskId, async () => {
      if (task.owner_id !== actor.userId && meeting.organiser_id !== actor.userId) {
        throw forbidden(
          '只有承办人或会议组织者可以办结 (only the owner or the organiser completes it)',
        )
      }
      const at = this.now()
      await this.storage.unitOfWork(async (uow) => {
        if (!(await uow.bind(this.bindStores).followUp.completeTask(taskId, actor.userId, at))) {
          throw conflict('该事项已办结 (done already)')
        }
        uow.audit({
          ...actor.event,
          action: 'meeting.task_done',
          target: taskId,
          detail: { meetingId: meeting.id },
        })
      })
      const owner = await this.storage.users.byId(task.owner_id)
      return taskView(
        { ...task, status: 'done', done_at: at, done_by: actor.userId },
        new Map([[task.owner_id, owner?.display_name ?? '']]),
      )
    })
    await this.reader.project(meeting.id)
    return done
  }

  /** @returns the caller's 议定事项 (at most 500). */
  async mine(actor: RequestActor): Promise<OwnedMeetingTask[]> {
    const rows = await this.stores.followUp.owned(actor.userId, 500)
    const names = new Map([[actor.userId, actor.event.actor.name]])
    return rows.map((row) => ({ ...taskView(row, names), meetingTitle: row.meeting_title }))
  }
}
