import { describe, expect, test } from 'vitest'
import { BUILTIN_FORMS, LEAVE_FORM, validateFormData } from '../../../../../shared/approvals'
import {
  draftFromForm,
  emptyFormDraft,
  formFromDraft,
  newField,
  optionsOf,
} from '../../../../../renderer/src/features/admin/approvalSetup/formDraft'

const FLOWS = new Set(['leave', 'travel', 'seal', 'overtime'])

describe('form editor model', () => {
  test('every built-in form survives a round trip through the editor unchanged', () => {
    for (const form of Object.values(BUILTIN_FORMS)) {
      const checked = formFromDraft(draftFromForm(form), FLOWS)
      expect(checked.ok, form.id).toBe(true)
      if (checked.ok) {
        expect(checked.form).toEqual(form)
      }
    }
  })

  test('an admin defines an overtime form; only each type’s own settings are kept', () => {
    const draft = emptyFormDraft()
    draft.id = 'overtime'
    draft.name = '加班申请'
    draft.flowId = 'overtime'
    const date = draft.fields[0]!
    Object.assign(date, { fieldKey: 'date', label: '加班日期', type: 'date', required: true })
    const hours = newField(draft.fields)
    Object.assign(hours, {
      fieldKey: 'hours',
      label: '时长（小时）',
      type: 'number',
      required: true,
      min: 0.5,
      max: 24,
      step: 0.5,
      // Left over from when it was a select: not part of a number field.
      optionsText: '甲\n乙',
    })
    const kind = newField([date, hours])
    Object.assign(kind, {
      fieldKey: 'kind',
      label: '类型',
      type: 'select',
      required: false,
      optionsText: ' 工作日 \n\n 节假日 ',
    })
    draft.fields.push(hours, kind)
    const checked = formFromDraft(draft, FLOWS)
    expect(checked).toEqual({
      ok: true,
      form: {
        id: 'overtime',
        name: '加班申请',
        flowId: 'overtime',
        fields: [
          { key: 'date', label: '加班日期', type: 'date', required: true },
          {
            key: 'hours',
            label: '时长（小时）',
            type: 'number',
            required: true,
            min: 0.5,
            max: 24,
            step: 0.5,
          },
          {
            key: 'kind',
            label: '类型',
            type: 'select',
            required: false,
            options: ['工作日', '节假日'],
          },
        ],
      },
    })
    if (checked.ok) {
      expect(validateFormData(checked.form, { date: '2026-12-08', hours: 3 }).ok).toBe(true)
    }
  })

  test('problems: bad ids, duplicate keys, a select without options, min above max, no flow', () => {
    const draft = draftFromForm(LEAVE_FORM)
    draft.id = '请假'
    draft.flowId = 'gongwen-outgoing'
    draft.fields[1]!.fieldKey = 'leaveType'
    draft.fields[0]!.optionsText = '\n'
    draft.fields[2]!.min = 10
    draft.fields[2]!.max = 1
    draft.fields[3]!.label = ''
    const checked = formFromDraft(draft, FLOWS)
    expect(checked.ok).toBe(false)
    if (!checked.ok) {
      expect(checked.problems.map((p) => p.key)).toEqual(
        expect.arrayContaining([
          'idInvalid',
          'flowRequired',
          'fieldKeyDuplicate',
          'optionsRequired',
          'minAboveMax',
          'labelRequired',
        ]),
      )
    }
  })

  test('a date may only be bounded by another date field', () => {
    const draft = draftFromForm(LEAVE_FORM)
    draft.fields[1]!.notBefore = 'days'
    const checked = formFromDraft(draft, FLOWS)
    expect(!checked.ok && checked.problems.map((p) => p.key)).toEqual(['notBefore'])
  })

  test('options are one a line, trimmed, blanks dropped', () => {
    expect(optionsOf(' 甲 \n\n乙\n')).toEqual(['甲', '乙'])
  })
})
