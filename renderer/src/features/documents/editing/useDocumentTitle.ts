/**
 * The document's title, with one source of truth: the `meta.title` of the Y.Doc (the 标题 element
 * the page prints, edited in the 公文要素 form and shared live with colleagues). The documents row
 * (the list, search, the bar's heading) follows it:
 *
 * - a new document's `meta.title` is seeded once from the row (the title it was created with);
 * - every change of `meta.title` is sent to the row (debounced);
 * - 重命名 in the bar writes the row first (so the name is checked and the heading updates at once)
 *   and then `meta.title`, which the row then already matches.
 */
import { computed, onBeforeUnmount, watch } from 'vue'
import type { ComputedRef, ShallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage, ElMessageBox } from 'element-plus'
import type { DocumentSummary } from '../../../../../shared/api'
import { MAX_TITLE_LENGTH } from '../../../../../shared/limits'
import { errorMessage } from '../../../api/errors'
import type { CollabSession } from '../../../collab/CollabSession'
import { useDocumentsStore } from '../../../stores/documents'

/** How long the row waits for typing in the 标题 field to pause. */
const FOLLOW_DELAY_MS = 1500

/** What the view binds to. */
export interface DocumentTitle {
  /** The row's title, shown in the bar and used where `meta.title` is still empty. */
  readonly title: ComputedRef<string>
  /** Asks for a new title and writes it (the bar's 重命名). */
  rename(): Promise<void>
  /** Gives a new document's `meta.title` the row's title, once the relay has answered. */
  seed(session: CollabSession): void
}

/**
 * @param summary the documents row, as loaded (and replaced when the row changes)
 * @param metaTitle the `meta.title` of the room
 * @param editable whether this user writes the document (only then does the title follow)
 * @param session the open collaborative session
 */
export function useDocumentTitle(options: {
  summary: ShallowRef<DocumentSummary | null>
  metaTitle: () => string
  editable: () => boolean
  session: () => CollabSession | null
}): DocumentTitle {
  const { summary, metaTitle, editable, session } = options
  const { t } = useI18n()
  const documents = useDocumentsStore()

  const title = computed(() => summary.value?.title ?? '')

  async function rename(): Promise<void> {
    const current = summary.value
    if (current === null) {
      return
    }
    let value: string
    try {
      const answer = await ElMessageBox.prompt(t('documents.newTitle'), t('editor.rename'), {
        inputValue: current.title,
        confirmButtonText: t('common.save'),
        cancelButtonText: t('common.cancel'),
        inputValidator: (text: string) => {
          const trimmed = text.trim()
          if (trimmed === '') {
            return t('documents.titleRequired')
          }
          return (
            trimmed.length <= MAX_TITLE_LENGTH ||
            t('documents.titleTooLong', { max: MAX_TITLE_LENGTH })
          )
        },
      })
      value = answer.value.trim()
    } catch {
      return
    }
    try {
      summary.value = await documents.rename(current.id, value)
      session()?.doc.getMap<unknown>('meta').set('title', value)
      ElMessage.success(t('editor.renamed'))
    } catch (error) {
      const message = errorMessage(error)
      ElMessage.error(t(message.key, message.params))
    }
  }

  function seed(open: CollabSession): void {
    const initial = summary.value?.title ?? ''
    if (!editable() || initial === '') {
      return
    }
    const write = (): void => {
      const map = open.doc.getMap<unknown>('meta')
      if (map.get('title') === undefined) {
        map.set('title', initial)
      }
    }
    if (open.provider.synced) {
      write()
    } else {
      open.provider.once('sync', (synced: boolean) => {
        if (synced) {
          write()
        }
      })
    }
  }

  // The row follows `meta.title` (debounced).
  let followTimer: ReturnType<typeof setTimeout> | null = null
  watch(metaTitle, (next) => {
    const current = summary.value
    const wanted = next.trim().slice(0, MAX_TITLE_LENGTH)
    if (followTimer !== null) {
      clearTimeout(followTimer)
    }
    if (current === null || !editable() || wanted === '' || wanted === current.title) {
      return
    }
    followTimer = setTimeout(() => {
      void documents
        .rename(current.id, wanted)
        .then((renamed) => {
          if (summary.value?.id === renamed.id) {
            summary.value = renamed
          }
        })
        .catch(() => undefined)
    }, FOLLOW_DELAY_MS)
  })
  onBeforeUnmount(() => {
    if (followTimer !== null) {
      clearTimeout(followTimer)
    }
  })

  return { title, rename, seed }
}
