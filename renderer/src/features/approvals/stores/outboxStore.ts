/**
 * The approvals outbox of the signed-in account (model/outbox.ts) as a store: the queued actions
 * the screens show as 待发送, sent on reconnect in order. What became of each queued action is
 * told in plain words (superseded: someone else decided the stage meanwhile).
 *
 * @example
 *   const outbox = useApprovalOutboxStore()
 *   outbox.start(me.id) // sends now if online, and on every reconnect
 */
import { ref, shallowRef } from 'vue'
import { defineStore } from 'pinia'
import { ElMessage } from 'element-plus'
import { actOnApproval } from '../../../../../shared/http/routes/approvals'
import type { ApprovalView } from '../../../../../shared/http/routes/approvals'
import { call } from '../../../api/call'
import { ApiError } from '../../../api/errors'
import { i18n } from '../../../i18n'
import { ApprovalOutbox, localStorageShelf } from '../model/outbox'
import type { FlushReport, OutboxItem, SendResult } from '../model/outbox'
import { actionTypeKey, approvalErrorKey } from '../model/actionText'

/** The queued actions, and the sending of them. */
export const useApprovalOutboxStore = defineStore('approvalOutbox', () => {
  const items = ref<OutboxItem[]>([])
  /** The newest view the relay answered a sent item with, for the page showing it. */
  const lastView = shallowRef<ApprovalView | null>(null)
  let outbox: ApprovalOutbox | null = null
  let listening = false

  function refresh(): void {
    items.value = outbox?.list() ?? []
  }

  async function send(item: OutboxItem): Promise<SendResult> {
    try {
      const answer = await call(actOnApproval, {
        params: { id: item.approvalId },
        body: item.request,
      })
      lastView.value = answer.approval
      return { kind: answer.outcome }
    } catch (error) {
      if (error instanceof ApiError && (error.isNetwork || error.status >= 500)) {
        return { kind: 'offline' }
      }
      const code = error instanceof ApiError ? error.code : 'internal'
      return { kind: 'refused', code, message: error instanceof Error ? error.message : '' }
    }
  }

  function tell(reports: readonly FlushReport[]): void {
    const { t } = i18n.global
    const applied = reports.filter((report) => report.result.kind === 'applied').length
    if (applied > 0) {
      ElMessage.success(t('approval.result.sentQueued', { count: applied }))
    }
    for (const { item, result } of reports) {
      const type = t(actionTypeKey(item.request.action.type, false))
      if (result.kind === 'superseded') {
        ElMessage({
          type: 'warning',
          message: t('approval.result.supersededQueued', { type }),
          duration: 0,
          showClose: true,
        })
      } else if (result.kind === 'refused') {
        ElMessage({
          type: 'error',
          message: t('approval.result.refusedQueued', {
            type,
            reason:
              approvalErrorKey(result.code) === null
                ? result.message
                : t(approvalErrorKey(result.code) ?? ''),
          }),
          duration: 0,
          showClose: true,
        })
      }
    }
  }

  /** Sends what is queued, oldest first; stops while the relay cannot be reached. */
  async function flush(): Promise<FlushReport[]> {
    if (outbox === null || outbox.list().length === 0) {
      return []
    }
    const reports = await outbox.flush(send)
    refresh()
    tell(reports)
    return reports
  }

  /** Queues a signed action. */
  function add(item: OutboxItem): void {
    outbox?.add(item)
    refresh()
  }

  /** Opens the account's outbox, sends it when online, and again on every reconnect. */
  function start(userId: string): void {
    if (outbox?.userId !== userId) {
      outbox = new ApprovalOutbox(localStorageShelf(), userId)
    }
    refresh()
    if (!listening) {
      listening = true
      window.addEventListener('online', () => {
        void flush()
      })
    }
    if (navigator.onLine) {
      void flush()
    }
  }

  return { items, lastView, add, flush, start }
})
