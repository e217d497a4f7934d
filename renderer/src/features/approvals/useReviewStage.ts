/**
 * Whether the signed-in user is, now, one of those who must act on the 核稿 stage of the running
 * approval of a document: the 公文 editor then opens in 修订 (their edits become suggestions the
 * drafter accepts or rejects), as a 核稿 in Word's track changes does.
 *
 * @example
 *   const { reviewing } = useReviewStage(() => props.id)
 */
import { computed, shallowRef, watch } from 'vue'
import type { ComputedRef } from 'vue'
import { getApproval } from '../../../../shared/http/routes/approvals'
import { call } from '../../api/call'
import { useSessionStore } from '../../stores/session'
import { useDocumentApproval } from './useDocumentApproval'

/** The stage whose holders review the draft (核稿, GB/T 9704's 审核). */
const REVIEW_STAGE = '核稿'

export function useReviewStage(documentId: () => string): { reviewing: ComputedRef<boolean> } {
  const session = useSessionStore()
  const { latest, running } = useDocumentApproval(documentId)
  const pending = shallowRef<readonly string[]>([])
  watch(
    () =>
      running.value && latest.value?.currentStageName === REVIEW_STAGE ? latest.value.id : null,
    async (approvalId) => {
      pending.value = []
      if (approvalId === null) {
        return
      }
      try {
        const view = await call(getApproval, { params: { id: approvalId } })
        if (latest.value?.id === approvalId) {
          pending.value = view.state.pending
        }
      } catch {
        // Not a participant (or offline): no default; the 修订 switch stays at hand.
      }
    },
    { immediate: true },
  )
  const reviewing = computed(() => {
    const me = session.user?.id
    return me !== undefined && pending.value.includes(me)
  })
  return { reviewing }
}
