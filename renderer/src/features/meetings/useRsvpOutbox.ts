/**
 * The RSVP outbox of the signed-in user on this device: an answer given while the relay cannot be
 * reached is kept (rsvpOutbox.ts) and sent when the browser comes back online, when a meetings
 * screen opens, and every 30 s while one is open. The calling component's listener stops when it unmounts.
 */
import { onBeforeUnmount, onMounted, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { errorMessage } from '../../api/errors'
import { useSessionStore } from '../../stores/session'
import { RsvpOutbox } from './rsvpOutbox'
import type { QueuedRsvp } from './rsvpOutbox'
import { isNetworkError, sendRsvp } from './meetingsApi'
import type { RsvpResponse } from './meetingsApi'

/** How often kept answers are tried again while a meetings screen is open (ms). */
const RETRY_MS = 30_000

/** What an answer came to. */
export type RsvpOutcome = 'sent' | 'queued'

/** The outbox as a screen uses it. */
export function useRsvpOutbox(onFlushed: () => void = () => {}) {
  const { t } = useI18n()
  const session = useSessionStore()
  const outbox = new RsvpOutbox(localStorage, `qilu:${session.user?.id ?? ''}:meetings:rsvp-outbox`)
  /** Bumped whenever the outbox changes, for screens that show the pending answer. */
  const version = ref(0)
  let flushing = false

  async function flush(): Promise<void> {
    if (flushing || outbox.list().length === 0) {
      return
    }
    flushing = true
    try {
      const result = await outbox.flush(
        (entry) => sendRsvp(entry.meetingId, body(entry)),
        isNetworkError,
      )
      if (result.sent.length > 0) {
        ElMessage.success(t('meetings.rsvp.flushed', { count: result.sent.length }))
      }
      for (const { error } of result.refused) {
        const message = errorMessage(error)
        ElMessage.error(t('meetings.rsvp.refused', { message: t(message.key, message.params) }))
      }
      if (result.sent.length + result.refused.length > 0) {
        onFlushed()
      }
    } finally {
      flushing = false
      version.value++
    }
  }

  /** Sends an answer now, or keeps it when the relay cannot be reached. */
  async function answer(
    meetingId: string,
    entry: { response: RsvpResponse; reason?: string; deputyId?: string },
  ): Promise<RsvpOutcome> {
    if (!navigator.onLine) {
      outbox.put({ meetingId, ...entry })
      version.value++
      return 'queued'
    }
    try {
      await sendRsvp(meetingId, entry)
      return 'sent'
    } catch (error) {
      if (!isNetworkError(error)) {
        throw error
      }
      outbox.put({ meetingId, ...entry })
      version.value++
      return 'queued'
    }
  }

  function pending(meetingId: string): QueuedRsvp | null {
    void version.value
    return outbox.pending(meetingId)
  }

  const onOnline = (): void => void flush()
  // The browser may say online while the relay is down: try again now and then, too.
  let retry: ReturnType<typeof setInterval> | null = null
  onMounted(() => {
    window.addEventListener('online', onOnline)
    retry = setInterval(() => void flush(), RETRY_MS)
    void flush()
  })
  onBeforeUnmount(() => {
    window.removeEventListener('online', onOnline)
    if (retry !== null) {
      clearInterval(retry)
    }
  })

  return { answer, pending, flush }
}

function body(entry: QueuedRsvp): { response: RsvpResponse; reason?: string; deputyId?: string } {
  return {
    response: entry.response,
    ...(entry.reason === undefined ? {} : { reason: entry.reason }),
    ...(entry.deputyId === undefined ? {} : { deputyId: entry.deputyId }),
  }
}
