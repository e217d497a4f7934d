/**
 * Meetings (issue 21, DESIGN.md §8): meeting rooms, meetings and their bookings, invitations,
 * sign-in, calendars, `.ics`, reminders and minutes. `createMeetings` builds the services over the
 * relay's storage; its `readers` is the relay's ProjectionReaders port for `meeting:<id>` rooms.
 *
 * @example
 *   const meetings = createMeetings({ storage, db: opened.db, audit, rooms: relay.rooms, inbox,
 *     documents, leases: new LeaseStore(opened.db), checkinKey: checkinKey(auditKey), logger })
 *   relay.use(new AuthExtension(accounts, storage, audit, logger, meetings.readers))
 */
import type { Kysely } from 'kysely'
import type { AuditService } from '../audit/AuditService'
import type { Storage } from '../storage/Storage'
import type { Database } from '../storage/schema'
import type { RoomPort } from '../relay/ports'
import type { InboxService } from '../services/InboxService'
import type { DocumentService } from '../services/DocumentService'
import type { LeaseStore } from '../storage/LeaseStore'
import type { Logger } from '../logger'
import type { BackgroundPacing } from '../services/pacing'
import { meetingStores } from '../storage/meetings/stores'
import { CHECKIN_TOKEN_TTL_S } from '../config'
import { MeetingRoomService } from './MeetingRoomService'
import { MeetingReader } from './MeetingReader'
import { MeetingService } from './MeetingService'
import { CheckinService } from './CheckinService'
import { CalendarService } from './CalendarService'
import { MinutesService } from './MinutesService'
import { ReminderJob } from './ReminderJob'
import { FollowUpService } from './FollowUpService'
import { RoomBookings } from './RoomBookings'
import type { FollowUpControl } from './FollowUpService'

export { checkinKey } from './checkinToken'

/** What meetings are built on. */
export interface MeetingsDependencies {
  readonly storage: Storage
  readonly db: Kysely<Database>
  readonly audit: AuditService
  readonly rooms: RoomPort
  readonly inbox: InboxService
  readonly documents: DocumentService
  readonly leases: LeaseStore
  /** The HMAC key of sign-in tokens (checkinKey(auditKey)). */
  readonly checkinKey: Buffer
  /** QILU_CHECKIN_TOKEN_TTL_S (default 60, capped at 120). */
  readonly checkinTtlSeconds?: number | undefined
  readonly logger: Logger
  /** How often due reminders are swept (ms; 30 s by default). */
  readonly reminderIntervalMs?: number | undefined
  readonly now?: () => number
  /** Re-checks open sockets after a meeting's ACL changes (the relay's control). */
  readonly control?: FollowUpControl | undefined
  /** When background projections may run (the HTTP side's quiet moments); none: at once. */
  readonly pacing?: BackgroundPacing | undefined
}

/** The meetings module. */
export interface MeetingsModule {
  readonly rooms: MeetingRoomService
  readonly meetings: MeetingService
  readonly reader: MeetingReader
  readonly checkins: CheckinService
  readonly calendar: CalendarService
  readonly minutes: MinutesService
  readonly reminders: ReminderJob
  /** Agenda and materials, withdrawn invitations, 议定事项. */
  readonly followUp: FollowUpService
  /** The relay's ProjectionReaders port (who reads `meeting:<id>`). */
  readonly readers: MeetingReader
}

/** @returns the meetings services over the relay's storage. */
export function createMeetings(deps: MeetingsDependencies): MeetingsModule {
  const now = deps.now ?? Date.now
  const bind = meetingStores(deps.storage.dialect)
  const stores = bind(deps.db)
  const bookings = new RoomBookings(deps.storage, stores, bind)
  const rooms = new MeetingRoomService(
    deps.storage,
    stores,
    bind,
    deps.audit,
    () => bookings.roomsChanged(),
    now,
  )
  const reader = new MeetingReader(
    deps.storage,
    stores,
    deps.rooms,
    deps.audit,
    deps.logger,
    now,
    deps.pacing,
  )
  return {
    rooms,
    reader,
    readers: reader,
    meetings: new MeetingService(
      deps.storage,
      bind,
      bookings,
      reader,
      deps.inbox,
      deps.audit,
      deps.logger,
      now,
    ),
    checkins: new CheckinService(
      deps.storage,
      bind,
      deps.db,
      reader,
      deps.audit,
      deps.checkinKey,
      deps.checkinTtlSeconds ?? CHECKIN_TOKEN_TTL_S.default,
      now,
    ),
    calendar: new CalendarService(stores, rooms, deps.storage.users),
    minutes: new MinutesService(deps.storage, bind, reader, deps.documents, deps.rooms, deps.audit),
    followUp: new FollowUpService(
      deps.storage,
      stores,
      bind,
      reader,
      deps.documents,
      deps.inbox,
      deps.audit,
      deps.logger,
      deps.control,
      now,
    ),
    reminders: new ReminderJob(
      deps.storage,
      stores,
      bind,
      deps.leases,
      deps.inbox,
      deps.logger,
      deps.reminderIntervalMs,
      now,
    ),
  }
}
