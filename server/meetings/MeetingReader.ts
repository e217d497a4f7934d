/**
 * Reads meetings for their participants and keeps each meeting's read-only `meeting:<id>` room
 * (map `view`: the §8 read shape, key by key) in step with the tables. Also the relay's
 * ProjectionReaders port: a meeting's room is readable by its invitees and its organiser.
 */
import type { AuditService } from '../audit/AuditService'
import type { Storage } from '../storage/Storage'
import type { RequestActor } from '../services/actor'
import type { BackgroundPacing } from '../services/pacing'
import { NO_PACING } from '../services/pacing'
import type { ProjectionReaders, RoomPort } from '../relay/ports'
import type { RoomName } from '../../shared/protocol/rooms'
import type { MeetingView } from '../../shared/http/routes/meetings'
import { MinutesStatus } from '../../shared/http/routes/meetings'
import type { Logger } from '../logger'
import { DomainError, notFound } from '../domain/errors'
import type { MeetingStores } from '../storage/meetings/stores'
import type { CheckinRow, InviteeRow, MeetingRow } from '../storage/meetings/MeetingStore'
import { attendanceOccurrence } from './occurrences'
import { meetingView } from './view'

/** The room of a meeting. */
export const meetingRoom = (id: string): string => `meeting:${id}`

/** A meeting with its invitees, as a participant reads it. */
export interface Participation {
  readonly meeting: MeetingRow
  readonly invitees: InviteeRow[]
  readonly invitee: InviteeRow | null
  readonly organiser: boolean
}

/** Reads and projects meetings. */
export class MeetingReader implements ProjectionReaders {
  /** Projections per meeting run one after another. */
  private readonly projecting = new Map<string, Promise<void>>()
  /** New meetings waiting for their first projection, oldest first (the first is under way). */
  /** Meetings waiting for their room's projection, with when each was queued (performance.now()). */
  private readonly background: { readonly id: string; readonly queuedAt: number }[] = []
  private draining: Promise<void> = Promise.resolve()

  constructor(
    private readonly storage: Storage,
    private readonly stores: MeetingStores,
    private readonly rooms: RoomPort,
    private readonly audit: AuditService,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
    private readonly pacing: BackgroundPacing = NO_PACING,
  ) {}

  async mayRead(room: RoomName, userId: string): Promise<boolean> {
    if (room.kind === 'doc') {
      // A meeting's agenda and materials: read by its organiser and invitees while attached.
      return this.stores.followUp.readsThroughMeeting(room.id, userId)
    }
    if (room.kind !== 'meeting') {
      return false
    }
    const meeting = await this.stores.meetings.byId(room.id)
    if (meeting === null) {
      return false
    }
    return (
      meeting.organiser_id === userId ||
      (await this.stores.meetings.invitee(room.id, userId)) !== null
    )
  }

  /**
   * @returns the meeting with the caller's part in it
   * @throws DomainError 404 unknown meeting; 403 `not_invited` (audited as `<action>_refused`)
   */
  async participation(actor: RequestActor, id: string, action: string): Promise<Participation> {
    const meeting = await this.stores.meetings.byId(id)
    if (meeting === null) {
      throw notFound('会议')
    }
    const invitees = await this.stores.meetings.invitees(id)
    const invitee = invitees.find((row) => row.user_id === actor.userId) ?? null
    const organiser = meeting.organiser_id === actor.userId
    if (invitee === null && !organiser) {
      await this.audit.record({
        ...actor.event,
        action: `${action}_refused`,
        target: id,
        detail: { code: 'not_invited' },
      })
      throw new DomainError(
        'not_invited',
        '您未受邀参加此会议 (you are not invited to this meeting)',
      )
    }
    return { meeting, invitees, invitee, organiser }
  }

  /** @returns the sign-ins of the occurrence attendance is about now, and its start. */
  async attendance(meeting: MeetingRow): Promise<{ checkins: CheckinRow[]; occurrence: number }> {
    const occurrence = attendanceOccurrence(meeting, this.now()).start
    return { checkins: await this.stores.meetings.checkins(meeting.id, occurrence), occurrence }
  }

  /** @returns the view of a meeting (rows read now). */
  async view(meeting: MeetingRow, invitees?: InviteeRow[]): Promise<MeetingView> {
    const rows = invitees ?? (await this.stores.meetings.invitees(meeting.id))
    const [documents, tasks, minutesStatus] = await Promise.all([
      this.stores.followUp.documents(meeting.id),
      this.stores.followUp.tasks(meeting.id),
      this.minutesStatus(meeting.minutes_document_id),
    ])
    const users = await this.storage.org.usersByIds([
      ...new Set([
        meeting.organiser_id,
        ...rows.map((row) => row.user_id),
        ...tasks.map((task) => task.owner_id),
      ]),
    ])
    const names = new Map(users.map((user) => [user.id, user.display_name]))
    const { checkins, occurrence } = await this.attendance(meeting)
    return meetingView(meeting, rows, checkins, occurrence, names, {
      organiserName: names.get(meeting.organiser_id) ?? '',
      documents,
      minutesStatus,
      tasks,
    })
  }

  /** @returns where the minutes stand: their latest approval's status, or a draft. */
  private async minutesStatus(documentId: string | null): Promise<MinutesStatus | null> {
    if (documentId === null) {
      return null
    }
    const latest = (await this.storage.approvals.byDocument(documentId))[0]
    const status = MinutesStatus.safeParse(latest?.status ?? 'draft')
    return status.success ? status.data : 'draft'
  }

  /** Re-projects the meeting whose minutes `documentId` is, if any (failures are logged). */
  async minutesChanged(documentId: string): Promise<void> {
    try {
      const meetingId = await this.stores.meetings.byMinutes(documentId)
      if (meetingId !== null) {
        await this.project(meetingId)
      }
    } catch (error) {
      this.logger.error('minutes status failed', { documentId, error: String(error) })
    }
  }

  /**
   * Projects a new meeting's room in the background, after the ones queued before it: one at a
   * time, each when the relay has a quiet moment (`pacing`) or at the latest a second after it was
   * queued, so that a burst of bookings
   * is answered before their rooms are written and does not take every database connection from
   * the requests still being answered (failures are logged).
   */
  projectInBackground(id: string): void {
    this.background.push({ id, queuedAt: performance.now() })
    if (this.background.length === 1) {
      this.draining = this.drainBackground()
    }
  }

  /** Resolves when every meeting queued for projection has been projected (at close). */
  drained(): Promise<void> {
    return this.draining
  }

  private async drainBackground(): Promise<void> {
    while (this.background.length > 0) {
      const { id, queuedAt } = this.background[0] as { id: string; queuedAt: number }
      await this.pacing.quiet(queuedAt)
      await this.project(id)
      this.background.shift()
    }
  }

  /** Rewrites a meeting's room from the tables (queued per meeting; failures are logged). */
  project(id: string): Promise<void> {
    const previous = this.projecting.get(id) ?? Promise.resolve()
    const work = previous.then(() => this.writeRoom(id))
    this.projecting.set(id, work)
    void work.finally(() => {
      if (this.projecting.get(id) === work) {
        this.projecting.delete(id)
      }
    })
    return work
  }

  private async writeRoom(id: string): Promise<void> {
    try {
      const meeting = await this.stores.meetings.byId(id)
      if (meeting === null) {
        return
      }
      const view = await this.view(meeting)
      await this.rooms.publish(meetingRoom(id), (doc) => {
        const map = doc.getMap<unknown>('view')
        for (const [key, value] of Object.entries(view)) {
          if (JSON.stringify(map.get(key)) !== JSON.stringify(value)) {
            map.set(key, value)
          }
        }
      })
    } catch (error) {
      this.logger.error('meeting projection failed', { meetingId: id, error: String(error) })
    }
  }
}
