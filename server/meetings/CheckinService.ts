/**
 * Sign-in (签到), DESIGN.md §8: the organiser shows a rotating token (as a QR code of a web-client
 * link); an invitee signs in with it inside [start − 30 min, end), late after start + 10 min; the
 * organiser may mark someone present instead. The record says who came and who was late; nothing
 * ranks people.
 */
import type { Kysely } from 'kysely'
import type { AuditService } from '../audit/AuditService'
import type { Database } from '../storage/schema'
import type { Storage } from '../storage/Storage'
import type { RequestActor } from '../services/actor'
import { DomainError, forbidden, badRequest } from '../domain/errors'
import type { MeetingStoresOn } from '../storage/meetings/stores'
import type { CheckinRow, InviteeRow, MeetingRow } from '../storage/meetings/MeetingStore'
import type { MeetingReader } from './MeetingReader'
import { issueToken, judgeToken } from './checkinToken'
import { attendanceOccurrence, CHECKIN_OPENS_MS, openOccurrence } from './occurrences'
import { refusalsAudited } from './refusals'
import { shanghaiIso } from './time'

/** Signing in this long after the start counts as late. */
export const LATE_AFTER_MS = 10 * 60_000
/** The longest a token may live, whatever is configured (§8). */
export const MAX_TOKEN_TTL_S = 120

/** A sign-in as answered. */
export interface CheckinRecord {
  readonly userId: string
  readonly at: string
  readonly late: boolean
  readonly by: 'self' | 'organiser'
}

function recordOf(row: CheckinRow): CheckinRecord {
  return {
    userId: row.user_id,
    at: shanghaiIso(Number(row.at)),
    late: row.late === 1,
    by: row.by === 'organiser' ? 'organiser' : 'self',
  }
}

/** Tokens and sign-ins. */
export class CheckinService {
  constructor(
    private readonly storage: Storage,
    private readonly bindStores: MeetingStoresOn,
    /** The storage's database (reads outside units of work). */
    private readonly db: Kysely<Database>,
    private readonly reader: MeetingReader,
    private readonly audit: AuditService,
    private readonly key: Buffer,
    /** QILU_CHECKIN_TOKEN_TTL_S, capped at 120. */
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  private get ttlMs(): number {
    return Math.min(Math.max(1, this.ttlSeconds), MAX_TOKEN_TTL_S) * 1000
  }

  /** @throws DomainError 403 not_invited; 403 forbidden unless the organiser (audited) */
  async token(
    actor: RequestActor,
    meetingId: string,
  ): Promise<{ token: string; expiresAt: string; url: string }> {
    const { organiser } = await this.reader.participation(actor, meetingId, 'meeting.checkin_token')
    return refusalsAudited(this.audit, actor, 'meeting.checkin_token', meetingId, async () => {
      if (!organiser) {
        throw forbidden('只有会议组织者可以出示签到码 (only the organiser shows the sign-in code)')
      }
      const expiresAt = this.now() + this.ttlMs
      const token = issueToken(this.key, meetingId, expiresAt)
      return {
        token,
        expiresAt: shanghaiIso(expiresAt),
        url: `/meetings/${meetingId}/checkin?token=${encodeURIComponent(token)}`,
      }
    })
  }

  /**
   * Self sign-in with a token.
   * @throws DomainError 403 not_invited; 403 bad_token; 410 token_expired; 409 checkin_closed
   *   (each audited)
   */
  async checkin(actor: RequestActor, meetingId: string, token: string): Promise<CheckinRecord> {
    const { meeting, invitee } = await this.reader.participation(
      actor,
      meetingId,
      'meeting.checkin',
    )
    return refusalsAudited(this.audit, actor, 'meeting.checkin', meetingId, async () => {
      const now = this.now()
      const problem = judgeToken(this.key, token, meetingId, now, this.ttlMs)
      if (problem === 'bad_token') {
        throw new DomainError('bad_token', '签到码无效 (invalid sign-in code)')
      }
      if (problem === 'token_expired') {
        throw new DomainError(
          'token_expired',
          '签到码已过期，请重新扫描会场屏幕上的二维码 (the sign-in code has expired)',
        )
      }
      if (invitee === null) {
        throw forbidden('组织者无需签到 (the organiser does not sign in)')
      }
      return this.record(actor, meeting, invitee, 'self', now, null)
    })
  }

  /** The organiser marks an invitee present. @throws DomainError 403; 400 not an invitee; 409 closed */
  async mark(
    actor: RequestActor,
    meetingId: string,
    userId: string,
    late: boolean | undefined,
  ): Promise<CheckinRecord> {
    const { meeting, invitees, organiser } = await this.reader.participation(
      actor,
      meetingId,
      'meeting.attendance',
    )
    return refusalsAudited(this.audit, actor, 'meeting.attendance', meetingId, async () => {
      if (!organiser) {
        throw forbidden('只有会议组织者可以登记出席 (only the organiser marks attendance)')
      }
      const invitee = invitees.find((row) => row.user_id === userId)
      if (invitee === undefined) {
        throw badRequest('此人不在邀请名单中 (not an invitee)')
      }
      return this.record(actor, meeting, invitee, 'organiser', this.now(), late ?? null)
    })
  }

  private async record(
    actor: RequestActor,
    meeting: MeetingRow,
    invitee: InviteeRow,
    by: 'self' | 'organiser',
    now: number,
    lateGiven: boolean | null,
  ): Promise<CheckinRecord> {
    const open = openOccurrence(meeting, now)
    // The organiser may also mark afterwards (corrections: the last occurrence whose sign-in has
    // opened), never before the first window opens.
    const markLater = by === 'organiser' && now >= Number(meeting.start_at) - CHECKIN_OPENS_MS
    if (open === null && !markLater) {
      throw new DomainError(
        'checkin_closed',
        `不在签到时间内：签到时间为会议开始前 30 分钟至会议结束（${shanghaiIso(Number(meeting.start_at))} 开始）(sign-in is open from 30 minutes before the start until the end)`,
      )
    }
    const occurrence = open ?? attendanceOccurrence(meeting, now)
    const stores = this.bindStores(this.db)
    const existing = (await stores.meetings.checkins(meeting.id, occurrence.start)).find(
      (row) => row.user_id === invitee.user_id,
    )
    if (existing !== undefined && by === 'self') {
      return recordOf(existing)
    }
    const late = lateGiven ?? now > occurrence.start + LATE_AFTER_MS
    const row: CheckinRow = {
      meeting_id: meeting.id,
      user_id: invitee.user_id,
      occurrence_start: occurrence.start,
      at: now,
      by,
      late: late ? 1 : 0,
    }
    await this.storage.unitOfWork(async (uow) => {
      await uow.bind(this.bindStores).meetings.putCheckin(row)
      uow.audit({
        ...actor.event,
        action: by === 'self' ? 'meeting.checkin' : 'meeting.attendance',
        target: meeting.id,
        detail: { userId: invitee.user_id, late, occurrence: shanghaiIso(occurrence.start) },
      })
    })
    await this.reader.project(meeting.id)
    return recordOf(row)
  }
}
