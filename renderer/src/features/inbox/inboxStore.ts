/**
 * The inbox behind the header bell: fed live by the `inbox:<userId>` room (which also works
 * offline from its IndexedDB copy), with GET /inbox as the fallback when the room cannot be read.
 * Marking read goes through the API; the item shows read at once and the room confirms it.
 */
import { computed, ref, shallowRef } from 'vue'
import { defineStore } from 'pinia'
import type { InboxItem } from '../../../../shared/api'
import { InboxRoom } from './InboxRoom'
import { fetchInbox, markAllRead, markRead } from './inboxApi'
import { orderItems, unreadCount } from './inboxItems'

/** Wait for the room before asking the API instead (a first visit with a slow relay). */
const FALLBACK_AFTER_MS = 4000

/** Where the items shown came from. */
export type InboxSource =
  /** The live room, synced with the relay. */
  | 'room'
  /** The room's copy on this device (offline or not yet synced). */
  | 'cache'
  /** GET /inbox (the room could not be read). */
  | 'api'
  /** Nothing yet. */
  | 'none'

/** The signed-in user's inbox. */
export const useInboxStore = defineStore('inbox', () => {
  const sourceItems = shallowRef<InboxItem[]>([])
  const serverUnread = ref<number | null>(null)
  /** Items marked read here and not yet confirmed by the room: id → ISO time. */
  const readLocally = shallowRef<ReadonlyMap<string, string>>(new Map())
  const source = ref<InboxSource>('none')
  const error = shallowRef<unknown>(null)
  let room: InboxRoom | null = null
  let userId: string | null = null
  /** The token the room was opened with (null when stopped). */
  let roomToken: string | null = null
  let fallbackTimer: ReturnType<typeof setTimeout> | null = null
  let generation = 0

  const items = computed(() => orderItems(sourceItems.value, readLocally.value))
  const unread = computed(() =>
    unreadCount(sourceItems.value, serverUnread.value, readLocally.value),
  )

  function setReadLocally(update: (map: Map<string, string>) => void): void {
    const next = new Map(readLocally.value)
    update(next)
    readLocally.value = next
  }

  function onRoomChange(): void {
    const current = room
    if (current === null) {
      return
    }
    if (current.hasContent || current.synced) {
      sourceItems.value = current.items()
      serverUnread.value = current.unread()
      source.value = current.synced ? 'room' : 'cache'
      // Forget local marks the room has confirmed.
      const confirmed = sourceItems.value.filter((i) => i.readAt !== null).map((i) => i.id)
      if (confirmed.some((id) => readLocally.value.has(id))) {
        setReadLocally((map) => confirmed.forEach((id) => map.delete(id)))
      }
    } else if (current.refused) {
      void fetchFromApi()
    }
  }

  /** Reads the inbox over HTTP (the fallback). */
  async function fetchFromApi(): Promise<void> {
    const mine = generation
    try {
      const page = await fetchInbox()
      if (mine !== generation || (room !== null && (room.synced || room.hasContent))) {
        return
      }
      sourceItems.value = [...page.items]
      serverUnread.value = page.unread
      source.value = 'api'
      error.value = null
    } catch (caught) {
      if (mine === generation) {
        error.value = caught
      }
    }
  }

  /**
   * Starts following a user's inbox (again a no-op for the same user; while the room is still
   * opening, for the same user and token: restarting then would close its socket mid-handshake).
   */
  async function start(user: string, token: string): Promise<void> {
    if (userId === user && (room !== null || roomToken === token)) {
      return
    }
    stop()
    userId = user
    roomToken = token
    const mine = generation
    fallbackTimer = setTimeout(() => {
      if (room === null || (!room.synced && !room.hasContent)) {
        void fetchFromApi()
      }
    }, FALLBACK_AFTER_MS)
    const opened = await InboxRoom.open({ userId: user, token, onChange: onRoomChange })
    if (mine !== generation) {
      opened.destroy()
      return
    }
    room = opened
    onRoomChange()
  }

  /** Stops following (logout). */
  function stop(): void {
    generation++
    if (fallbackTimer !== null) {
      clearTimeout(fallbackTimer)
      fallbackTimer = null
    }
    room?.destroy()
    room = null
    userId = null
    roomToken = null
    sourceItems.value = []
    serverUnread.value = null
    readLocally.value = new Map()
    source.value = 'none'
    error.value = null
  }

  /** Marks one item read. @throws ApiError (the mark is undone) */
  async function read(item: InboxItem): Promise<void> {
    if (item.readAt !== null || readLocally.value.has(item.id)) {
      return
    }
    setReadLocally((map) => map.set(item.id, new Date().toISOString()))
    try {
      const updated = await markRead(item.id)
      if (source.value === 'api') {
        sourceItems.value = sourceItems.value.map((i) => (i.id === updated.id ? updated : i))
        serverUnread.value = Math.max(0, (serverUnread.value ?? 1) - 1)
        setReadLocally((map) => map.delete(item.id))
      }
    } catch (caught) {
      setReadLocally((map) => map.delete(item.id))
      throw caught
    }
  }

  /** Marks every item read. @returns how many were unread. @throws ApiError (the marks are undone) */
  async function readAll(): Promise<number> {
    const unreadIds = items.value.filter((i) => i.readAt === null).map((i) => i.id)
    const now = new Date().toISOString()
    setReadLocally((map) => unreadIds.forEach((id) => map.set(id, now)))
    try {
      const marked = await markAllRead()
      if (source.value === 'api') {
        sourceItems.value = sourceItems.value.map((i) =>
          i.readAt === null ? { ...i, readAt: now } : i,
        )
        serverUnread.value = 0
        setReadLocally((map) => unreadIds.forEach((id) => map.delete(id)))
      }
      return marked
    } catch (caught) {
      setReadLocally((map) => unreadIds.forEach((id) => map.delete(id)))
      throw caught
    }
  }

  return { items, unread, source, error, start, stop, read, readAll, fetchFromApi }
})
