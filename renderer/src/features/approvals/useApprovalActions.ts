/**
 * The action side of the approval page: what the user may do now (for themselves, and 代 for a
 * leader who delegated to them), the dialog's offer, and taking the action with its outcome told
 * in plain words (superseded, queued offline, refused by code).
 *
 * @example
 *   const acting = useApprovalActions(view, () => preview.value?.localDigest() ?? null, accept)
 */
import { computed, onMounted, ref, shallowRef } from 'vue'
import type { Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import type { Delegation } from '../../../../shared/approvals'
import { listDelegations } from '../../../../shared/http/routes/approvalSetup'
import type { ApprovalView } from '../../../../shared/http/routes/approvals'
import { call } from '../../api/call'
import { useSessionStore } from '../../stores/session'
import { performAction } from './acting'
import { availableActions, delegationsTo } from './model/composer'
import type { ActionOffer, DraftInput } from './model/composer'
import { useApprovalOutboxStore } from './stores/outboxStore'

/** Actions of the approval page. */
export function useApprovalActions(
  view: Ref<ApprovalView | null>,
  localDigest: () => string | null,
  accept: (view: ApprovalView) => void,
) {
  const { t } = useI18n()
  const session = useSessionStore()
  const outbox = useApprovalOutboxStore()
  const delegations = shallowRef<Delegation[]>([])
  const offer = ref<ActionOffer | null>(null)
  const busy = ref(false)
  const now = ref(new Date().toISOString())

  onMounted(async () => {
    const user = session.user
    if (user === null) {
      return
    }
    try {
      const { received } = await call(listDelegations)
      delegations.value = delegationsTo(user.id, received)
    } catch {
      // Offline: no 代 offers until the delegations can be read.
    }
  })

  /** This approval's actions queued on this device. */
  const queued = computed(() =>
    view.value === null
      ? []
      : outbox.items
          .filter((item) => item.approvalId === view.value?.id)
          .map((item) => ({ action: item.request.action, actorId: item.actorId })),
  )

  const offers = computed<ActionOffer[]>(() => {
    const current = view.value
    const user = session.user
    if (current === null || user === null) {
      return []
    }
    const all = availableActions(current, user.id, delegations.value, now.value)
    // A decision already queued here waits for the relay: offer nothing but a comment meanwhile.
    return queued.value.length > 0 ? all.filter((item) => item.type === 'comment') : all
  })

  function choose(next: ActionOffer): void {
    now.value = new Date().toISOString()
    offer.value = next
  }

  async function submit(input: DraftInput): Promise<void> {
    const current = view.value
    const user = session.user
    if (current === null || user === null || busy.value) {
      return
    }
    busy.value = true
    try {
      const outcome = await performAction(current, input, { userId: user.id, localDigest })
      switch (outcome.kind) {
        case 'applied':
          accept(outcome.view)
          offer.value = null
          ElMessage.success(t('approval.result.applied'))
          break
        case 'superseded':
          accept(outcome.view)
          offer.value = null
          ElMessage({
            type: 'warning',
            message: t('approval.result.superseded'),
            duration: 8000,
            showClose: true,
          })
          break
        case 'queued':
          offer.value = null
          ElMessage({ type: 'info', message: t('approval.result.queued'), duration: 6000 })
          break
        case 'cancelled':
          break
        case 'failed':
          ElMessage({
            type: 'error',
            message: t(outcome.messageKey),
            duration: 8000,
            showClose: true,
          })
      }
    } finally {
      busy.value = false
      now.value = new Date().toISOString()
    }
  }

  return { offers, offer, busy, queued, choose, submit, close: () => (offer.value = null) }
}
