/**
 * The read-only room `approval:<id>` (DESIGN §7): the relay keeps the approval's view under `view`
 * in its Y.Map `approval` (server/approvals/ApprovalEffects.ts), mirrored into IndexedDB so the page opens offline and
 * follows every action live. A client never writes it (the relay closes a writer's socket).
 *
 * @example
 *   const room = await openApprovalRoom({ approvalId, userId, token, onChange: () => show(room.view()) })
 */
import { ApprovalView } from '../../../../shared/http/routes/approvals'
import { ReadOnlyRoom } from '../../collab/ReadOnlyRoom'

/** The Y.Map of an approval room, and its key holding the view. */
export const ROOM_MAP = 'approval'
export const VIEW_KEY = 'view'

/** @returns the view a room's map holds, or null (none yet, or not a valid view). */
export function parseRoomView(json: Record<string, unknown>): ApprovalView | null {
  const parsed = ApprovalView.safeParse(json[VIEW_KEY])
  return parsed.success ? parsed.data : null
}

/** An open approval room. */
export interface ApprovalRoom {
  /** The view the room holds now, or null (nothing yet, or not a valid view). */
  view(): ApprovalView | null
  /** True while the relay's state has arrived on the current connection. */
  readonly synced: boolean
  destroy(): void
}

/** Options of openApprovalRoom. */
export interface ApprovalRoomOptions {
  readonly approvalId: string
  readonly userId: string
  readonly token: string
  readonly onChange: () => void
}

/** Opens an approval's room: the local copy first, then the relay when online. */
export async function openApprovalRoom(options: ApprovalRoomOptions): Promise<ApprovalRoom> {
  const base = await ReadOnlyRoom.open({
    room: `approval:${options.approvalId}`,
    databaseName: `qilu:${options.userId}:approval:${options.approvalId}`,
    token: options.token,
    onChange: options.onChange,
  })
  return {
    view: () => parseRoomView(base.doc.getMap<unknown>(ROOM_MAP).toJSON()),
    get synced() {
      return base.synced
    },
    destroy: () => base.destroy(),
  }
}
