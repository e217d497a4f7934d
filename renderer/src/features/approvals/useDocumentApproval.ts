/**
 * The newest approval of a document (documentApprovals), shared by the 公文 editor's 送审 button
 * and its banner: one request per document while the editor shows it.
 *
 * @example
 *   const { latest, running } = useDocumentApproval(() => props.documentId)
 */
import { computed, shallowRef, watch } from 'vue'
import { documentApprovals } from '../../../../shared/http/routes/approvals'
import type { ApprovalSummary } from '../../../../shared/http/routes/approvals'
import { call } from '../../api/call'

const cache = new Map<string, Promise<ApprovalSummary | null>>()

function fetchLatest(documentId: string): Promise<ApprovalSummary | null> {
  let pending = cache.get(documentId)
  if (pending === undefined) {
    pending = call(documentApprovals, { params: { id: documentId } })
      .then(({ approvals }) => approvals[0] ?? null)
      .catch(() => null)
      .finally(() => {
        // Kept only while both users of one editor ask; a later visit asks again.
        setTimeout(() => cache.delete(documentId), 1000)
      })
    cache.set(documentId, pending)
  }
  return pending
}

/** The newest approval of the document, and whether it runs. */
export function useDocumentApproval(documentId: () => string) {
  const latest = shallowRef<ApprovalSummary | null>(null)
  watch(
    documentId,
    async (id) => {
      latest.value = null
      const found = await fetchLatest(id)
      if (id === documentId()) {
        latest.value = found
      }
    },
    { immediate: true },
  )
  const running = computed(() => latest.value?.status === 'running')
  return { latest, running }
}
