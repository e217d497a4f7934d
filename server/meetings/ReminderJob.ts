/**
 * Meeting reminders (DESIGN.md §5 timed work): reminder rows are written with the meeting; one
 * node at a time sweeps the due ones, holding the `meeting.reminders` lease. Each reminder is
 * claimed (`sent_at` set where it was null) and its inbox notices inserted in ONE transaction, so a
 * reminder is sent exactly once across nodes and restarts: a crash before the commit leaves it
 * unclaimed for the next sweep, a commit leaves it claimed for ever. Inbox rooms are re-projected
 * after the commit.
 */
import { randomUUID } from 'node:crypto'
import type { Storage } from '../storage/Storage'
import type { LeaseStore } from '../storage/LeaseStore'
import type { InboxService } from '../services/InboxService'
import { noticeRow } from '../services/InboxService'
import { InboxStore } from '../storage/InboxStore'
import type { Logger } from '../logger'
import { SYSTEM_ACTOR } from '../audit/events'
import type { MeetingStores, MeetingStoresOn } from '../storage/meetings/stores'
import type { ReminderRow } from '../storage/meetings/MeetingStore'
import { shanghaiIso } from './time'

/** The lease's name in `audit_leases` (the project's lease table). */
export const REMINDER_LEASE = 'meeting.reminders'
/** Reminders sent per sweep at most. */
const BATCH = 100
/** Responses that no longer want reminders. */
const SILENT = new Set(['decline', 'deputy'])

/** The reminder job of one node. */
export class ReminderJob {
  readonly holder = randomUUID()
  private timer: NodeJS.Timeout | null = null
  private running: Promise<number> | null = null

  constructor(
    private readonly storage: Storage,
    private readonly stores: MeetingStores,
    private readonly bindStores: MeetingStoresOn,
    private readonly leases: LeaseStore,
    private readonly inbox: InboxService,
    private readonly logger: Logger,
    private readonly intervalMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.sweep(), this.intervalMs)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    if (this.timer !== null) {
      clearInterval(this.timer)
      this.timer = null
    }
    await this.running?.catch(() => 0)
    await this.leases.release(REMINDER_LEASE, this.holder).catch(() => {})
  }

  /** Sends the due reminders when this node holds the lease. @returns how many were sent */
  sweep(): Promise<number> {
    this.running ??= this.sweepOnce()
      .catch((error: unknown) => {
        this.logger.error('meeting reminders failed', { error: String(error) })
        return 0
      })
      .finally(() => {
        this.running = null
      })
    return this.running
  }

  private async sweepOnce(): Promise<number> {
    const now = this.now()
    if (!(await this.leases.acquire(REMINDER_LEASE, this.holder, this.intervalMs * 3, now))) {
      return 0
    }
    let sent = 0
    // Batches until none is due (a node that was down catches up), at most 20 per sweep.
    for (let batch = 0; batch < 20; batch += 1) {
      const due = await this.stores.meetings.dueReminders(now, BATCH)
      sent += await this.send(due, now)
      if (due.length < BATCH) {
        break
      }
    }
    return sent
  }

  /** Sends these reminders, each claimed once. @returns how many this node sent */
  private async send(due: readonly ReminderRow[], now: number): Promise<number> {
    let sent = 0
    for (const reminder of due) {
      const meeting = await this.stores.meetings.byId(reminder.meeting_id)
      if (meeting === null) {
        continue
      }
      const invitees = (await this.stores.meetings.invitees(meeting.id)).filter(
        (row) => !SILENT.has(row.response),
      )
      const userIds = [meeting.organiser_id, ...invitees.map((row) => row.user_id)]
      const when = shanghaiIso(Number(meeting.start_at)).replace('T', ' ').slice(0, 16)
      const claimed = await this.storage.unitOfWork(async (uow) => {
        if (!(await uow.bind(this.bindStores).meetings.claimReminder(reminder.id, now))) {
          return false
        }
        const store = uow.bind((db) => new InboxStore(db))
        for (const userId of new Set(userIds)) {
          await store.insert(
            noticeRow(
              {
                kind: 'meeting',
                text: `会议提醒：《${meeting.title}》将于 ${when} 开始`,
                excerpt: `开始时间：${when}`,
                link: `/meetings/${meeting.id}`,
                actor: SYSTEM_ACTOR,
                dedupeKey: `meeting:${meeting.id}:reminder:${reminder.id}`,
              },
              userId,
              now,
            ),
          )
        }
        uow.audit({
          actor: SYSTEM_ACTOR,
          action: 'meeting.reminder',
          target: meeting.id,
          detail: { reminderId: reminder.id, recipients: new Set(userIds).size },
        })
        return true
      })
      if (claimed) {
        sent += 1
        for (const userId of new Set(userIds)) {
          this.inbox.project(userId)
        }
      }
    }
    return sent
  }
}
