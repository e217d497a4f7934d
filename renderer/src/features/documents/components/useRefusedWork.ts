/**
 * The editor view's handling of local changes the relay refused (DESIGN.md §3): the document is
 * reopened from the relay's state while the refused changes stay kept on this device
 * (collab/refusedWork.ts), and the user is offered to export them or, for a commenter's body
 * edits, to submit them as 修订 suggestions. Nothing is resent by itself, so no refusal repeats.
 */
import { ref, shallowRef } from 'vue'
import type { Ref, ShallowRef } from 'vue'
import type { Editor } from '@tiptap/vue-3'
import * as Y from 'yjs'
import { ElMessage, ElMessageBox } from 'element-plus'
import { useI18n } from 'vue-i18n'
import { BODY_ROOT } from '../../../../../shared/gongwen/yBody'
import { getBridge } from '../../../bridge'
import { forgetRefusedWork, loadRefusedWork, refusedWorkText } from '../../../collab/refusedWork'
import type { RefusedWork } from '../../../collab/refusedWork'
import { bodyFromFragment } from '../gongwen/io/bodySchema'
import { saveBytes } from '../gongwen/io/fileExport'
import type { GongwenRoom } from '../gongwen/pageview/gongwenRoom'
import { blockChanges, proposeChanges, textBlocks } from '../gongwen/suggestions/refusedSuggestions'

/** What the view binds to. */
export interface RefusedWorkHandle {
  /** The kept work, if any. */
  readonly work: ShallowRef<RefusedWork | null>
  /** Whether the dialog is open (it opens when the relay has just refused). */
  readonly dialogOpen: Ref<boolean>
  /** The relay just refused: keep `work` on offer and open the dialog. */
  refused(work: RefusedWork): void
  /** Looks for work kept from an earlier opening of the document (offered in a banner). */
  check(userId: string, documentId: string): Promise<void>
  /** Downloads the refused text. */
  exportWork(): Promise<void>
  /** Submits the refused body changes as suggestions on the reopened document. */
  suggest(room: GongwenRoom | null, editor: Editor | null): void
  /** Discards the kept work after a confirmation. */
  discard(): Promise<void>
}

/** @returns the refused-work handling of the editor view */
export function useRefusedWork(): RefusedWorkHandle {
  const { t } = useI18n()
  const work = shallowRef<RefusedWork | null>(null)
  const dialogOpen = ref(false)

  async function forget(): Promise<void> {
    const current = work.value
    work.value = null
    dialogOpen.value = false
    if (current !== null) {
      await forgetRefusedWork(current.userId, current.documentId).catch(() => {})
    }
  }

  return {
    work,
    dialogOpen,
    refused(next) {
      work.value = next
      dialogOpen.value = true
    },
    async check(userId, documentId) {
      if (work.value?.documentId === documentId) {
        return
      }
      work.value = await loadRefusedWork(userId, documentId).catch(() => null)
    },
    async exportWork() {
      const current = work.value
      if (current === null) {
        return
      }
      const name = `${current.title || '公文'}-未被接受的修改.txt`.replace(/[\\/:*?"<>|]/g, '_')
      const data = new TextEncoder().encode(refusedWorkText(current))
      const outcome = await saveBytes(getBridge(), name, 'text/plain;charset=utf-8', data)
      if (outcome === 'saved') {
        // Kept still: the user may also submit them as suggestions, or discard them.
        ElMessage.success(t('docs.refused.exported'))
      }
    },
    suggest(room, editor) {
      const current = work.value
      if (current === null || room === null || editor === null) {
        return
      }
      const refusedDoc = new Y.Doc()
      Y.applyUpdate(refusedDoc, current.state)
      const refusedBlocks = textBlocks(bodyFromFragment(refusedDoc.getXmlFragment(BODY_ROOT)))
      refusedDoc.destroy()
      const doc = editor.state.doc
      const count = proposeChanges(room, doc, blockChanges(textBlocks(doc), refusedBlocks))
      if (count === 0) {
        ElMessage.info(t('docs.refused.nothingToSuggest'))
        return
      }
      ElMessage.success(t('docs.refused.suggested', { count }))
      void forget()
    },
    async discard() {
      try {
        await ElMessageBox.confirm(t('docs.refused.discardConfirm'), t('docs.refused.title'), {
          type: 'warning',
        })
      } catch {
        return
      }
      await forget()
    },
  }
}
