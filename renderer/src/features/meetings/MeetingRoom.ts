/**
 * The read-only room `meeting:<id>` (DESIGN.md §8): Y.Map `view` holding the fields of the
 * contract's MeetingView, kept by the relay and mirrored into IndexedDB so the meeting page opens
 * offline. Invitees and the organiser read it; nobody writes.
 */
import { MeetingView } from '../../../../shared/http/routes/meetings'
import { ReadOnlyRoom } from '../../collab/ReadOnlyRoom'

/** The Y.Map of the room holding the view's fields (server/meetings/MeetingReader.ts). */
export const VIEW_FIELD = 'view'

/** An open meeting room. */
export class MeetingRoom {
  private constructor(private readonly base: ReadOnlyRoom) {}

  /** Opens the room: its local copy first, then the relay when the browser is online. */
  static async open(options: {
    readonly meetingId: string
    readonly userId: string
    readonly token: string
    readonly onChange: () => void
  }): Promise<MeetingRoom> {
    const base = await ReadOnlyRoom.open({
      room: `meeting:${options.meetingId}`,
      databaseName: `qilu:${options.userId}:meeting:${options.meetingId}`,
      token: options.token,
      onChange: options.onChange,
    })
    return new MeetingRoom(base)
  }

  /** True while the relay's state has arrived on the current connection. */
  get synced(): boolean {
    return this.base.synced
  }

  /** @returns the meeting as the room holds it, or null while it holds nothing valid. */
  view(): MeetingView | null {
    const parsed = MeetingView.safeParse(this.base.doc.getMap<unknown>(VIEW_FIELD).toJSON())
    return parsed.success ? parsed.data : null
  }

  /** Stops syncing (the local copy stays on disk). */
  destroy(): void {
    this.base.destroy()
  }
}
