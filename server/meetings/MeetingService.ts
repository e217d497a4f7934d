/**
 * Meetings (办会): creating one (its room booked without double booking, its invitations expanded
 * from units, its reminders planned), and the invitees' answers (accept, decline with a reason,
 * tentative, or 代参会: a deputy who then gets the invitation). Every change is one unit of work with
 * its audit entry (the bookings waiting for one room share one, each decided alone: RoomBookings);
 * refusals are audited; after each change the `meeting:<id>` room is re-projected and the people
 * concerned get an inbox notice.
 */
import type { AuditService } from '../audit/AuditService'
import type { Storage } from '../storage/Storage'
import type { RequestActor } from '../services/actor'
import type { InboxService } from '../services/InboxService'
import type { Logger } from '../logger'
import type { CreateMeetingRequest, RsvpResponse } from '../../shared/http/routes/meetings'
import { MAX_ATTENDEES, MAX_MEETING_MS, MAX_RANGE_MS } from '../../shared/http/routes/meetings'
import { badRequest, conflict, forbidden, notFound } from '../domain/errors'
import { newId } from '../auth/secrets'
import type { MeetingStoresOn } from '../storage/meetings/stores'
import type {
  InviteeRow,
  MeetingRow,
  NewMeeting,
  ReminderRow,
} from '../storage/meetings/MeetingStore'
import type { AuditEvent } from '../audit/events'
import type { MeetingReader } from './MeetingReader'
import type { RoomBookings } from './RoomBookings'
import { ONE_DAY_MS, parseTime, shanghaiDayStart, shanghaiIso } from './time'
import { refusalsAudited } from './refusals'
import { occurrencesOf } from './occurrences'

/** Default reminder, minutes before the start. */
const DEFAULT_REMIND_MINUTES = [15]
/** Most weekly occurrences of one meeting. */
const MAX_OCCURRENCES = 53

/** What creating a meeting answers. */
export interface Created {
  readonly id: string
  readonly expandedUnits: { unitId: string; members: number }[]
  readonly occurrences: number
}

/** Meeting commands. */
export class MeetingService {
  constructor(
    private readonly storage: Storage,
    private readonly bindStores: MeetingStoresOn,
    private readonly bookings: RoomBookings,
    private readonly reader: MeetingReader,
    private readonly inbox: InboxService,
    private readonly audit: AuditService,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * @throws DomainError 400 bad times or people; 404 unknown room or unit; 403 a room the organiser
   *   may not book; 409 `room_conflict` with suggestions (each audited)
   */
  async create(actor: RequestActor, input: CreateMeetingRequest): Promise<Created> {
    const id = newId()
    return refusalsAudited(this.audit, actor, 'meeting.create', id, async () => {
      const times = this.timesOf(input)
      const occurrences = occurrencesOf(times.start, times.end, times.until)
      if (occurrences.length > MAX_OCCURRENCES) {
        throw badRequest(
          `重复会议最多 ${MAX_OCCURRENCES} 次 (at most ${MAX_OCCURRENCES} occurrences)`,
        )
      }
      const { invitees, expandedUnits } = await this.inviteesOf(id, actor, input)
      const roomId = input.roomId ?? null
      const now = this.now()
      const meeting: MeetingRow = {
        id,
        title: input.title,
        organiser_id: actor.userId,
        room_id: roomId,
        start_at: times.start,
        end_at: times.end,
        all_day: input.allDay === true ? 1 : 0,
        online_link: input.onlineLink ?? null,
        recurrence_until: times.until,
        minutes_document_id: null,
        created_at: now,
      }
      const reminders: ReminderRow[] = occurrences.flatMap((o) =>
        [...new Set(input.remindMinutes ?? DEFAULT_REMIND_MINUTES)]
          .map((minutes) => o.start - minutes * 60_000)
          .filter((due) => due > now)
          .map((due) => ({ id: newId(), meeting_id: id, due_at: due, sent_at: null })),
      )
      const rows: NewMeeting = {
        meeting,
        occurrences: occurrences.map((o) => ({
          id: newId(),
          meeting_id: id,
          room_id: roomId,
          start_at: o.start,
          end_at: o.end,
        })),
        invitees,
        reminders,
      }
      const audit: AuditEvent = {
        ...actor.event,
        action: 'meeting.create',
        target: id,
        detail: {
          title: input.title,
          start: shanghaiIso(times.start),
          end: shanghaiIso(times.end),
          roomId,
          invitees: invitees.length,
          occurrences: occurrences.length,
        },
      }
      if (roomId === null) {
        await this.storage.unitOfWork(async (uow) => {
          await uow.bind(this.bindStores).meetings.insertAll([rows])
          uow.audit(audit)
        })
      } else {
        // The room, whether the organiser may book it and whether it is free are decided under
        // the room's lock, with the other requests waiting then (RoomBookings).
        await this.bookings.book({
          roomId,
          organiserId: actor.userId,
          occurrences,
          meeting: rows,
          audit,
        })
      }
      // The room's projection and the invitations follow in the background: the answer does not
      // wait for them (a client in the room sees the view arrive).
      this.reader.projectInBackground(id)
      this.invite(
        actor,
        meeting,
        invitees.map((row) => row.user_id),
      )
      return { id, expandedUnits, occurrences: occurrences.length }
    })
  }

  /**
   * An invitee answers. A deputy (代参会) is invited in the invitee's place, with their role.
   * @throws DomainError 403 `not_invited`; 400 a deputy missing, oneself or unknown; 409 a deputy
   *   already invited, or an answer after sending a deputy (each audited)
   */
  async rsvp(
    actor: RequestActor,
    meetingId: string,
    input: { response: RsvpResponse; deputyId?: string | undefined; reason?: string | undefined },
  ): Promise<{ response: RsvpResponse }> {
    const { meeting, invitee } = await this.reader.participation(actor, meetingId, 'meeting.rsvp')
    return refusalsAudited(this.audit, actor, 'meeting.rsvp', meetingId, async () => {
      if (invitee === null) {
        throw forbidden('组织者无需答复 (the organiser does not answer the invitation)')
      }
      if (invitee.response === 'deputy') {
        throw conflict('您已委派代参会人，不能再更改答复 (you already sent a deputy)')
      }
      let deputy: InviteeRow | null = null
      if (input.response === 'deputy') {
        deputy = await this.deputyRow(meetingId, actor, invitee, input.deputyId)
      }
      const now = this.now()
      await this.storage.unitOfWork(async (uow) => {
        const stores = uow.bind(this.bindStores)
        // Re-read under the transaction: two answers racing cannot both send a deputy.
        if ((await stores.meetings.invitee(meetingId, actor.userId))?.response === 'deputy') {
          throw conflict('您已委派代参会人，不能再更改答复 (you already sent a deputy)')
        }
        await stores.meetings.updateInvitee(meetingId, actor.userId, {
          response: input.response,
          reason: input.reason ?? null,
          deputy_id: deputy?.user_id ?? null,
          responded_at: now,
        })
        if (deputy !== null) {
          if ((await stores.meetings.invitee(meetingId, deputy.user_id)) !== null) {
            throw conflict('代参会人已在邀请名单中 (the deputy is invited already)')
          }
          // Deputies add rows; chains of them stay bounded.
          if ((await stores.meetings.invitees(meetingId)).length >= 2 * MAX_ATTENDEES) {
            throw conflict('邀请名单已满 (the invitation list is full)')
          }
          await stores.meetings.insertInvitee(deputy)
        }
        uow.audit({
          ...actor.event,
          action: 'meeting.rsvp',
          target: meetingId,
          detail: {
            response: input.response,
            ...(input.reason === undefined ? {} : { reason: input.reason }),
            ...(deputy === null ? {} : { deputyId: deputy.user_id }),
          },
        })
      })
      await this.reader.project(meetingId)
      if (deputy !== null) {
        this.invite(actor, meeting, [deputy.user_id], `（代 ${actor.event.actor.name} 参会）`)
      }
      return { response: input.response }
    })
  }

  private async deputyRow(
    meetingId: string,
    actor: RequestActor,
    invitee: InviteeRow,
    deputyId: string | undefined,
  ): Promise<InviteeRow> {
    if (deputyId === undefined) {
      throw badRequest('请指定代参会人 (name a deputy)')
    }
    if (deputyId === actor.userId) {
      throw badRequest('不能委派自己代参会 (you cannot be your own deputy)')
    }
    const user = await this.storage.users.byId(deputyId)
    if (user === null || user.active !== 1) {
      throw badRequest('代参会人不存在或已停用 (unknown or deactivated deputy)')
    }
    return {
      meeting_id: meetingId,
      user_id: deputyId,
      role: invitee.role,
      via_unit_id: null,
      response: 'pending',
      reason: null,
      deputy_id: null,
      deputy_for: actor.userId,
      responded_at: null,
    }
  }

  private timesOf(input: CreateMeetingRequest): {
    start: number
    end: number
    until: number | null
  } {
    let start = parseTime(input.start, 'start')
    let end = parseTime(input.end, 'end')
    if (input.allDay === true) {
      // An all-day meeting takes whole Shanghai days: from the first day's midnight to the midnight
      // after the last day (`end` on a day counts that day in).
      start = shanghaiDayStart(start)
      end = shanghaiDayStart(end - 1) + ONE_DAY_MS
    }
    if (!(end > start)) {
      throw badRequest('结束时间须晚于开始时间 (end must be after start)')
    }
    if (end - start > MAX_MEETING_MS) {
      throw badRequest('单次会议不能超过 7 天 (a meeting lasts at most 7 days)')
    }
    const until =
      input.recurrence === undefined ? null : parseTime(input.recurrence.weekly.until, 'until')
    if (until !== null && (until < start || until - start > MAX_RANGE_MS)) {
      throw badRequest('重复截止时间须在开始后一年内 (until must be within a year after the start)')
    }
    const now = this.now()
    if (start > now + 2 * MAX_RANGE_MS || end < now - MAX_RANGE_MS) {
      throw badRequest(
        '会议时间须在前后一至两年内 (the meeting must be within a year or two of now)',
      )
    }
    return { start, end, until }
  }

  /** @returns the invitee rows: persons, units' members (expanded now), observers (列席). */
  private async inviteesOf(
    meetingId: string,
    actor: RequestActor,
    input: CreateMeetingRequest,
  ): Promise<{ invitees: InviteeRow[]; expandedUnits: Created['expandedUnits'] }> {
    const rows = new Map<string, InviteeRow>()
    const add = (userId: string, role: 'required' | 'observer', via: string | null): void => {
      // A person named directly keeps that; a required invitation wins over 列席.
      const known = rows.get(userId)
      if (known !== undefined && (known.role === 'required' || role === 'observer')) {
        return
      }
      rows.set(userId, {
        meeting_id: meetingId,
        user_id: userId,
        role,
        via_unit_id: via,
        response: 'pending',
        reason: null,
        deputy_id: null,
        deputy_for: null,
        responded_at: null,
      })
    }
    const expandedUnits: Created['expandedUnits'] = []
    for (const unitId of new Set(input.unitIds ?? [])) {
      if ((await this.storage.org.unitById(unitId)) === null) {
        throw notFound('单位')
      }
      const members = await this.storage.org.unitMembers(unitId)
      expandedUnits.push({ unitId, members: members.length })
      for (const member of members) {
        if (member.id !== actor.userId) {
          add(member.id, 'required', unitId)
        }
        if (rows.size > MAX_ATTENDEES) {
          break
        }
      }
    }
    for (const userId of input.attendees) {
      add(userId, 'required', null)
    }
    for (const userId of input.observers ?? []) {
      add(userId, 'observer', null)
    }
    rows.delete(actor.userId)
    if (rows.size > MAX_ATTENDEES) {
      throw badRequest(`参会人员最多 ${MAX_ATTENDEES} 人 (at most ${MAX_ATTENDEES} invitees)`)
    }
    const named = [...rows.values()].filter((row) => row.via_unit_id === null)
    const users = await this.storage.org.usersByIds(named.map((row) => row.user_id))
    const active = new Set(users.filter((user) => user.active === 1).map((user) => user.id))
    const missing = named.find((row) => !active.has(row.user_id))
    if (missing !== undefined) {
      throw badRequest(`参会人员不存在或已停用 (unknown or deactivated invitee ${missing.user_id})`)
    }
    return { invitees: [...rows.values()], expandedUnits }
  }

  private async organiserName(actor: RequestActor, meeting: MeetingRow): Promise<string> {
    if (meeting.organiser_id === actor.userId) {
      return actor.event.actor.name
    }
    return (await this.storage.users.byId(meeting.organiser_id))?.display_name ?? ''
  }

  /**
   * Notifies invitees in the background (after the commit), in the organiser's name (a deputy's
   * invitation is sent by whom they stand for, but the meeting is still the organiser's).
   */
  private invite(actor: RequestActor, meeting: MeetingRow, userIds: string[], note = ''): void {
    const when = shanghaiIso(Number(meeting.start_at)).replace('T', ' ').slice(0, 16)
    void this.organiserName(actor, meeting)
      .then((organiser) =>
        this.inbox.notify(
          {
            kind: 'meeting',
            text: `${organiser} 邀请您参加会议《${meeting.title}》${note}`,
            excerpt: `时间：${when}\u3000组织者：${organiser}`,
            link: `/meetings/${meeting.id}`,
            actor: actor.event.actor,
            dedupeKey: `meeting:${meeting.id}:invite`,
          },
          userIds,
        ),
      )
      .catch((error: unknown) =>
        this.logger.error('meeting invitations failed', {
          meetingId: meeting.id,
          error: String(error),
        }),
      )
  }
}
