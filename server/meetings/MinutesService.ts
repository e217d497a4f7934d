/**
 * Minutes (纪要) of a meeting: a document of 文种 `minutes` (GB/T 9704 纪要 format), created by the
 * organiser from the meeting, its 出席/请假/列席 lines and opening sentence filled from the
 * attendance, shared with the invitees who attend (commenters; the organiser owns it and may make
 * co-editors through the document's members), and linked from the meeting. Submitting it for
 * approval is the approvals API's (`POST /api/v1/approvals` with the document id).
 */
import * as Y from 'yjs'
import type { AuditService } from '../audit/AuditService'
import type { Storage } from '../storage/Storage'
import type { RequestActor } from '../services/actor'
import type { DocumentService } from '../services/DocumentService'
import type { RoomPort } from '../relay/ports'
import { BODY_ROOT } from '../../shared/gongwen/yBody'
import { docRoom } from '../../shared/protocol/rooms'
import { conflict, forbidden, notFound } from '../domain/errors'
import type { MeetingStoresOn } from '../storage/meetings/stores'
import type { CheckinRow, InviteeRow } from '../storage/meetings/MeetingStore'
import type { MeetingReader } from './MeetingReader'
import { refusalsAudited } from './refusals'
import { shanghaiIso } from './time'

const SEPARATOR = '　'

/** The attendance lines of the minutes. */
export interface AttendanceLines {
  readonly present: string
  readonly leave: string
  readonly observers: string
}

/**
 * @returns 出席, 请假 and 列席 from the invitees: those who signed in (or, when nobody signed in,
 *   those who accepted), deputies marked 代; 请假 those who declined; 列席 the observers who came.
 */
export function attendanceLines(
  invitees: readonly InviteeRow[],
  checkins: readonly CheckinRow[],
  names: ReadonlyMap<string, string>,
): AttendanceLines {
  const signedIn = new Set(checkins.map((row) => row.user_id))
  const came = (row: InviteeRow): boolean =>
    signedIn.size > 0
      ? signedIn.has(row.user_id)
      : row.response === 'accept' || row.response === 'tentative'
  const label = (row: InviteeRow): string => {
    const name = names.get(row.user_id) ?? row.user_id
    return row.deputy_for === null ? name : `${name}（代${names.get(row.deputy_for) ?? ''}）`
  }
  const join = (rows: InviteeRow[]): string => rows.map(label).join(SEPARATOR)
  return {
    present: join(invitees.filter((row) => row.role !== 'observer' && came(row))),
    leave: join(invitees.filter((row) => row.response === 'decline')),
    observers: join(invitees.filter((row) => row.role === 'observer' && came(row))),
  }
}

/** Replaces the text of the body paragraph that starts with `prefix` (the template's line). */
function setLine(fragment: Y.XmlFragment, prefix: string, text: string): void {
  for (const child of fragment.toArray()) {
    if (!(child instanceof Y.XmlElement)) {
      continue
    }
    const first = child.get(0)
    if (first instanceof Y.XmlText && first.toString().startsWith(prefix)) {
      first.delete(0, first.length)
      first.insert(0, text)
      return
    }
  }
}

/** Minutes. */
export class MinutesService {
  constructor(
    private readonly storage: Storage,
    private readonly bindStores: MeetingStoresOn,
    private readonly reader: MeetingReader,
    private readonly documents: DocumentService,
    private readonly rooms: RoomPort,
    private readonly audit: AuditService,
  ) {}

  /** Re-projects the meeting whose minutes `documentId` is (an approval of it moved). */
  approvalChanged(documentId: string | null): void {
    if (documentId !== null) {
      void this.reader.minutesChanged(documentId)
    }
  }

  /** @throws DomainError 403 unless the organiser; 409 when the minutes exist already (audited) */
  async create(actor: RequestActor, meetingId: string): Promise<{ documentId: string }> {
    const { meeting, invitees, organiser } = await this.reader.participation(
      actor,
      meetingId,
      'meeting.minutes',
    )
    return refusalsAudited(this.audit, actor, 'meeting.minutes', meetingId, async () => {
      if (!organiser) {
        throw forbidden('只有会议组织者可以起草纪要 (only the organiser drafts the minutes)')
      }
      if (meeting.minutes_document_id !== null) {
        throw conflict('此会议已有纪要 (the minutes exist already)')
      }
      const owner = await this.storage.users.byId(actor.userId)
      if (owner === null) {
        throw notFound('用户')
      }
      const summary = await this.documents.create(
        owner,
        `${meeting.title}纪要`,
        'minutes',
        actor.event.ip,
      )
      const users = await this.storage.org.usersByIds(invitees.map((row) => row.user_id))
      const names = new Map(users.map((user) => [user.id, user.display_name]))
      const { checkins, occurrence } = await this.reader.attendance(meeting)
      const lines = attendanceLines(invitees, checkins, names)
      const date = shanghaiIso(occurrence).slice(0, 10).split('-').map(Number)
      await this.rooms.apply(docRoom(summary.id), (doc) => {
        const body = doc.getXmlFragment(BODY_ROOT)
        setLine(
          body,
          '××××年×月×日',
          `${date[0]}年${date[1]}月${date[2]}日，${owner.display_name}主持召开${meeting.title}，研究××××。现将会议议定事项纪要如下：`,
        )
        setLine(body, '出席：', `出席：${lines.present}`)
        setLine(body, '请假：', `请假：${lines.leave}`)
        setLine(body, '列席：', `列席：${lines.observers}`)
      })
      const readers = invitees.filter(
        (row) => row.response !== 'decline' && row.response !== 'deputy',
      )
      await this.storage.unitOfWork(async (uow) => {
        for (const row of readers) {
          await uow.documents.setMember(summary.id, row.user_id, 'commenter')
        }
        await uow
          .bind(this.bindStores)
          .meetings.update(meetingId, { minutes_document_id: summary.id })
        uow.audit({
          ...actor.event,
          action: 'meeting.minutes',
          target: meetingId,
          detail: { documentId: summary.id, shared: readers.length },
        })
      })
      await this.reader.project(meetingId)
      return { documentId: summary.id }
    })
  }
}
