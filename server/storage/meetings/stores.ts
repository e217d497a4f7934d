/**
 * The meetings stores on one connection or transaction; a unit of work binds them with
 * `uow.bind(meetingStores(dialect))`.
 */
import type { Kysely } from 'kysely'
import type { Dialect } from '../database'
import type { Database } from '../schema'
import { MeetingRoomStore } from './RoomStore'
import { MeetingStore } from './MeetingStore'
import { FollowUpStore } from './FollowUpStore'
import { meetingDb } from './schema'

/** The stores of meetings. */
export interface MeetingStores {
  readonly rooms: MeetingRoomStore
  readonly meetings: MeetingStore
  /** Attached documents and 议定事项 (021). */
  readonly followUp: FollowUpStore
}

/** Makes the stores on a connection or transaction. */
export type MeetingStoresOn = (db: Kysely<Database>) => MeetingStores

/** @returns a factory of the stores on a connection or a unit of work's transaction. */
export function meetingStores(dialect: Dialect): MeetingStoresOn {
  return (db) => {
    const typed = meetingDb(db)
    return {
      rooms: new MeetingRoomStore(typed, dialect),
      meetings: new MeetingStore(typed, dialect),
      followUp: new FollowUpStore(typed),
    }
  }
}
