/**
 * The approval a page shows: read over HTTP, then kept current by the `approval:<id>` room (the
 * truth, live), and shown from the room's local copy when offline. The newest view wins: a room
 * update, an action's answer, or an outbox flush.
 *
 * @example
 *   const { view, loading, problem, offline, accept } = useApprovalView(() => props.id)
 */
import { computed, onBeforeUnmount, ref, shallowRef, watch } from 'vue'
import { getApproval } from '../../../../shared/http/routes/approvals'
import type { ApprovalView } from '../../../../shared/http/routes/approvals'
import { call } from '../../api/call'
import { ApiError } from '../../api/errors'
import { useNetworkStore } from '../../stores/network'
import { useSessionStore } from '../../stores/session'
import { openApprovalRoom } from './approvalRoom'
import type { ApprovalRoom } from './approvalRoom'
import { useApprovalOutboxStore } from './stores/outboxStore'

/** Why the approval cannot be shown. */
export type ViewProblem = 'notFound' | 'failed' | null

/** @returns the number of actions a view holds (a newer view never holds fewer). */
function weight(view: ApprovalView): number {
  return view.actions.length
}

/** The approval of a page. */
export function useApprovalView(id: () => string) {
  const session = useSessionStore()
  const network = useNetworkStore()
  const outbox = useApprovalOutboxStore()
  const view = shallowRef<ApprovalView | null>(null)
  const loading = ref(true)
  const problem = ref<ViewProblem>(null)
  const reachable = ref(true)
  const live = ref(false)
  let room: ApprovalRoom | null = null

  /** Shows a view unless the one shown is newer (holds more actions). */
  function accept(next: ApprovalView | null): void {
    if (next === null || next.id !== id()) {
      return
    }
    const current = view.value
    if (current === null || current.id !== next.id || weight(next) >= weight(current)) {
      view.value = next
      problem.value = null
    }
  }

  async function fetchView(approvalId: string): Promise<void> {
    try {
      accept(await call(getApproval, { params: { id: approvalId } }))
      reachable.value = true
    } catch (error) {
      if (error instanceof ApiError && (error.isNetwork || error.status >= 500)) {
        reachable.value = false
      } else if (view.value === null) {
        problem.value =
          error instanceof ApiError && (error.code === 'not_found' || error.code === 'forbidden')
            ? 'notFound'
            : 'failed'
      }
    }
  }

  async function load(approvalId: string): Promise<void> {
    room?.destroy()
    room = null
    view.value = null
    problem.value = null
    loading.value = true
    const user = session.user
    const token = session.token
    if (user === null || token === null) {
      return
    }
    outbox.start(user.id)
    const opening = openApprovalRoom({
      approvalId,
      userId: user.id,
      token,
      onChange: () => {
        live.value = room?.synced ?? false
        accept(room?.view() ?? null)
      },
    }).catch(() => null)
    await fetchView(approvalId)
    const opened = await opening
    if (approvalId !== id()) {
      opened?.destroy()
      return
    }
    room = opened
    accept(room?.view() ?? null)
    loading.value = false
  }

  watch(() => outbox.lastView, accept)
  watch(id, (next) => void load(next), { immediate: true })
  onBeforeUnmount(() => {
    room?.destroy()
    room = null
  })

  const offline = computed(() => network.offline || (!reachable.value && !live.value))
  return { view, loading, problem, offline, live, accept, reload: () => fetchView(id()) }
}
