/**
 * The state of the 公文要素 form: a draft per text field that follows colleagues' changes (except in
 * the field being typed in), and the writes to the room's `meta` map, each validated with the shared
 * schema first (a value that does not pass stays in its field with its problem and is not saved).
 * Choosing a classified 密级 is refused with the 机要 message and never written. The keys the
 * approval flow fills (签发人, 发文字号, 印发日期) are shown and never written from here: the relay
 * refuses a client's write to them.
 */
import { computed, reactive, ref, watch } from 'vue'
import type { ComputedRef, Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import type * as Y from 'yjs'
import { ElMessageBox } from 'element-plus'
import {
  CLASSIFIED_REFUSAL,
  CLASSIFIED_REFUSAL_EN,
  UNCLASSIFIED,
  isClassified,
  isFlowWrittenMetaKey,
  validateMetaValue,
} from '../../../../../../shared/gongwen/meta'
import type { GongwenMeta, MetaKey } from '../../../../../../shared/gongwen/meta'
import { META_ORIGIN, metaFieldId, splitSigners } from './metaFields'

/** Text fields edited as one line each (lists are joined for editing). */
export type TextKey = Exclude<MetaKey, 'docType' | 'classification' | 'urgency' | 'attachments'>
const TEXT_KEYS: readonly TextKey[] = [
  'title',
  'copyNumber',
  'classificationPeriod',
  'issuingAuthority',
  'documentNumber',
  'signers',
  'mainRecipients',
  'ccRecipients',
  'writtenDate',
  'printingAuthority',
  'printDate',
]

/** What the form binds to. */
export interface MetaFormState {
  /** What each text field shows. */
  readonly drafts: Record<TextKey, string>
  /** The problem of each value that was not written. */
  readonly errors: Partial<Record<MetaKey, string>>
  /** The 附件 names as edited. */
  readonly attachments: Ref<string[]>
  /** The field being typed in (`attachments.<n>` for an attachment). */
  readonly focused: Ref<string | null>
  /** The 密级 the select shows (never a classified one the room does not hold). */
  readonly classification: ComputedRef<string>
  onText(key: TextKey): void
  onBlur(key: TextKey): void
  onDocType(event: Event): void
  onUrgency(event: Event): void
  onClassification(event: Event): Promise<void>
  writeAttachments(): void
  addAttachment(): void
  removeAttachment(index: number): void
}

/**
 * @param doc the document whose `meta` map is written
 * @param meta the room's meta as read
 */
export function useMetaForm(doc: () => Y.Doc, meta: ComputedRef<GongwenMeta>): MetaFormState {
  const { t, locale } = useI18n()

  const drafts = reactive<Record<TextKey, string>>({
    title: '',
    copyNumber: '',
    classificationPeriod: '',
    issuingAuthority: '',
    documentNumber: '',
    signers: '',
    mainRecipients: '',
    ccRecipients: '',
    writtenDate: '',
    printingAuthority: '',
    printDate: '',
  })
  const errors = reactive<Partial<Record<MetaKey, string>>>({})
  const attachments = ref<string[]>([])
  const focused = ref<string | null>(null)

  function shown(key: TextKey): string {
    const value = meta.value[key]
    return Array.isArray(value) ? value.join('、') : String(value)
  }

  // Follow colleagues' changes, except in the field being typed in.
  watch(
    meta,
    (current) => {
      for (const key of TEXT_KEYS) {
        if (focused.value !== key && errors[key] === undefined) {
          drafts[key] = shown(key)
        }
      }
      if (focused.value === null || !focused.value.startsWith('attachments')) {
        attachments.value = [...current.attachments]
      }
    },
    { immediate: true },
  )

  function write(key: MetaKey, value: unknown): boolean {
    if (isFlowWrittenMetaKey(key)) {
      // The approval flow writes it; the relay would refuse the session's work.
      return false
    }
    const checked = validateMetaValue(key, value)
    if (!checked.ok) {
      errors[key] = checked.message
      return false
    }
    delete errors[key]
    const map = doc().getMap<unknown>('meta')
    if (JSON.stringify(map.get(key)) !== JSON.stringify(checked.value)) {
      doc().transact(() => map.set(key, checked.value), META_ORIGIN)
    }
    return true
  }

  function onText(key: TextKey): void {
    const value = key === 'signers' ? splitSigners(drafts[key]) : drafts[key]
    write(key, value)
  }

  function onBlur(key: TextKey): void {
    focused.value = null
    if (errors[key] === undefined) {
      drafts[key] = shown(key)
    }
  }

  function selected(event: Event): HTMLSelectElement | null {
    return event.target instanceof HTMLSelectElement ? event.target : null
  }

  function onDocType(event: Event): void {
    const select = selected(event)
    if (select !== null) {
      write('docType', select.value)
    }
  }

  function onUrgency(event: Event): void {
    const select = selected(event)
    if (select !== null) {
      write('urgency', select.value)
    }
  }

  const classification = computed(() =>
    isClassified(meta.value.classification) ? meta.value.classification : UNCLASSIFIED,
  )

  async function onClassification(event: Event): Promise<void> {
    const select = selected(event)
    if (select === null) {
      return
    }
    const value = select.value
    if (value === UNCLASSIFIED) {
      write('classification', value)
      return
    }
    // Never written: the select goes back to what the room holds.
    select.value = classification.value
    const refusal = locale.value === 'en' ? CLASSIFIED_REFUSAL_EN : CLASSIFIED_REFUSAL
    errors.classification = refusal
    await ElMessageBox.alert(refusal, t('gongwen.meta.classifiedTitle'), {
      type: 'error',
      confirmButtonText: t('common.confirm'),
    }).catch(() => undefined)
  }

  function writeAttachments(): void {
    write(
      'attachments',
      attachments.value.map((name) => name.trim()).filter((name) => name !== ''),
    )
  }

  function addAttachment(): void {
    attachments.value = [...attachments.value, '']
    const index = attachments.value.length - 1
    queueMicrotask(() => document.getElementById(metaFieldId('attachments', index))?.focus())
  }

  function removeAttachment(index: number): void {
    attachments.value = attachments.value.filter((_, i) => i !== index)
    writeAttachments()
  }

  return {
    drafts,
    errors,
    attachments,
    focused,
    classification,
    onText,
    onBlur,
    onDocType,
    onUrgency,
    onClassification,
    writeAttachments,
    addAttachment,
    removeAttachment,
  }
}
