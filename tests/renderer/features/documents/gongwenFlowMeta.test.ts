/**
 * 签发人, 发文字号 and 印发日期 are the approval flow's (签发, 编号, 分发): the 公文要素 form shows them
 * read-only (the value, or a hint while empty; still focusable for the checker's 定位) and never
 * writes them, and a .docx import skips them and names them.
 */
import { afterEach, describe, expect, test } from 'vitest'
import { mount } from '@vue/test-utils'
import type { VueWrapper } from '@vue/test-utils'
import { nextTick } from 'vue'
import * as Y from 'yjs'
import MetaForm from '../../../../renderer/src/features/documents/gongwen/meta/MetaForm.vue'
import {
  fillEmptyMeta,
  flowFilledInImport,
} from '../../../../renderer/src/features/documents/gongwen/io/applyImport'
import { i18n, setLocale } from '../../../../renderer/src/i18n'
import { FLOW_WRITTEN_META_KEYS } from '../../../../shared/gongwen/meta'

let wrapper: VueWrapper | null = null

afterEach(() => {
  wrapper?.unmount()
  wrapper = null
  setLocale('zh-CN')
})

function mountForm(doc: Y.Doc): VueWrapper {
  const raw = doc.getMap<unknown>('meta').toJSON()
  wrapper = mount(MetaForm, {
    props: { doc, raw, readonly: false },
    global: { plugins: [i18n] },
    attachTo: document.body,
  })
  return wrapper
}

describe('the flow-filled 公文要素 in the form', () => {
  test('empty ones are read-only with the hint of the step that fills them', () => {
    setLocale('zh-CN')
    const form = mountForm(new Y.Doc())
    const hints = {
      signers: '签发后由流程填写',
      documentNumber: '编号后由流程填写',
      printDate: '分发后由流程填写',
    }
    for (const key of FLOW_WRITTEN_META_KEYS) {
      const field = form.get<HTMLInputElement>(`[data-testid="meta-${key}"]`)
      expect(field.element.readOnly, key).toBe(true)
      expect(field.element.disabled, key).toBe(false)
      expect(field.element.value, key).toBe('')
      expect(field.attributes('placeholder'), key).toBe(hints[key])
      expect(field.attributes('id'), key).toBe(`gw-meta-${key}`)
    }
    // The fields the drafter writes stay editable.
    expect(form.get<HTMLInputElement>('[data-testid="meta-writtenDate"]').element.readOnly).toBe(
      false,
    )
  })

  test('the hints in English', async () => {
    setLocale('en')
    const form = mountForm(new Y.Doc())
    await nextTick()
    expect(form.get('[data-testid="meta-signers"]').attributes('placeholder')).toBe(
      'Filled in by the flow at sign-off (签发)',
    )
  })

  test('filled ones show the value the flow wrote, are focusable, and typing writes nothing', async () => {
    setLocale('zh-CN')
    const doc = new Y.Doc()
    const meta = doc.getMap<unknown>('meta')
    meta.set('documentNumber', '鲁政办发〔2026〕1号')
    meta.set('signers', ['张三', '李四'])
    meta.set('printDate', '2026年3月2日')
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    const form = mountForm(doc)
    await nextTick()
    const number = form.get<HTMLInputElement>('[data-testid="meta-documentNumber"]')
    expect(number.element.value).toBe('鲁政办发〔2026〕1号')
    expect(form.get<HTMLInputElement>('[data-testid="meta-signers"]').element.value).toBe(
      '张三、李四',
    )
    expect(form.get<HTMLInputElement>('[data-testid="meta-printDate"]').element.value).toBe(
      '2026年3月2日',
    )
    number.element.focus()
    expect(document.activeElement).toBe(number.element)

    // Even an input event that got through (the field is read-only) writes nothing.
    number.element.value = '鲁政办发〔2026〕01号'
    await number.trigger('input')
    await number.trigger('blur')
    expect(updates).toEqual([])
    expect(meta.get('documentNumber')).toBe('鲁政办发〔2026〕1号')
  })
})

describe('a .docx import and the flow-filled 公文要素', () => {
  const FROM_FILE = {
    issuingAuthority: '山东省应急管理厅',
    documentNumber: '鲁应急发〔2024〕8号',
    signers: ['王五'],
    printDate: '2024年3月1日',
    writtenDate: '2024年3月1日',
  }

  test('are not written into meta; the others are', () => {
    const doc = new Y.Doc()
    const written = fillEmptyMeta(doc, FROM_FILE)
    expect(written.sort()).toEqual(['issuingAuthority', 'writtenDate'])
    expect(doc.getMap<unknown>('meta').toJSON()).toEqual({
      issuingAuthority: '山东省应急管理厅',
      writtenDate: '2024年3月1日',
    })
  })

  test('are named for the summary, in form order, when the file holds a value', () => {
    expect(flowFilledInImport(FROM_FILE)).toEqual(['documentNumber', 'signers', 'printDate'])
    expect(
      flowFilledInImport({ documentNumber: '', signers: [], writtenDate: '2024年3月1日' }),
    ).toEqual([])
    expect(
      i18n.global.t('gongwenIo.import.flowSkipped', { fields: '发文字号、签发人、印发日期' }),
    ).toBe('发文字号、签发人、印发日期由审批流程填写，未导入')
  })
})
