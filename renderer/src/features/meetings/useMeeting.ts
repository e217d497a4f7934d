/**
 * One meeting as its page shows it: the live `meeting:<id>` room (which also opens offline from
 * this device's copy), with GET /meetings/<id> for the first paint and whenever the room has not
 * delivered yet. Closed when the calling component unmounts.
 */
import { onBeforeUnmount, onMounted, ref, shallowRef, watch } from 'vue'
import type { Ref } from 'vue'
import { errorMessage } from '../../api/errors'
import type { ErrorMessage } from '../../api/errors'
import { useSessionStore } from '../../stores/session'
import { MeetingRoom } from './MeetingRoom'
import { getMeeting, isNetworkError } from './meetingsApi'
import type { MeetingView } from './meetingsApi'

/** The meeting of the page. */
export function useMeeting(id: Ref<string>) {
  const session = useSessionStore()
  const meeting = shallowRef<MeetingView | null>(null)
  const live = ref(false)
  const loading = ref(true)
  const failure = shallowRef<ErrorMessage | null>(null)
  let room: MeetingRoom | null = null
  let closed = false

  function fromRoom(): void {
    if (room === null) {
      return
    }
    live.value = room.synced
    const view = room.view()
    if (view !== null) {
      meeting.value = view
      loading.value = false
      failure.value = null
    }
  }

  async function refresh(): Promise<void> {
    try {
      const view = await getMeeting(id.value)
      // The room may have delivered something newer meanwhile; the room wins when live.
      if (!live.value || meeting.value === null) {
        meeting.value = view
      }
      failure.value = null
    } catch (error) {
      if (!(isNetworkError(error) && meeting.value !== null)) {
        failure.value = meeting.value === null ? errorMessage(error) : null
      }
    } finally {
      loading.value = false
    }
  }

  async function open(): Promise<void> {
    room?.destroy()
    room = null
    meeting.value = null
    loading.value = true
    const user = session.user
    const token = session.token
    void refresh()
    if (user === null || token === null) {
      return
    }
    const opened = await MeetingRoom.open({
      meetingId: id.value,
      userId: user.id,
      token,
      onChange: fromRoom,
    })
    if (closed) {
      opened.destroy()
      return
    }
    room = opened
    fromRoom()
  }

  onMounted(() => void open())
  watch(id, () => void open())
  onBeforeUnmount(() => {
    closed = true
    room?.destroy()
    room = null
  })

  return { meeting, live, loading, failure, refresh }
}
