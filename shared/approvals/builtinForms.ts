/**
 * The built-in forms: 请假 (leave), 出差 (business travel) and 用印申请 (seal request). Admins define
 * more the same way (FormDefinitionSchema); each names the flow template it starts (builtinFlows.ts).
 *
 * @example
 *   validateFormData(LEAVE_FORM, { leaveType: '年休假', startDate: '2026-12-08', days: 5, reason: '探亲' }).ok // true
 */
import type { FormDefinition } from './formDefinition'

/** 请假: over 3 days also goes to the 分管领导 (LEAVE_FLOW). */
export const LEAVE_FORM: FormDefinition = {
  id: 'leave',
  name: '请假申请',
  flowId: 'leave',
  fields: [
    {
      key: 'leaveType',
      label: '请假类型',
      type: 'select',
      required: true,
      options: ['年休假', '事假', '病假', '婚假', '产假', '陪产假', '丧假', '探亲假'],
    },
    { key: 'startDate', label: '开始日期', type: 'date', required: true },
    {
      key: 'days',
      label: '请假天数',
      type: 'number',
      required: true,
      min: 0.5,
      max: 365,
      step: 0.5,
    },
    {
      key: 'reason',
      label: '请假事由',
      type: 'text',
      required: true,
      maxLength: 500,
      multiline: true,
    },
    { key: 'attachments', label: '证明材料', type: 'attachment', required: false, maxFiles: 5 },
  ],
}

/** 出差: over 5 days also goes to the 主要领导 (TRAVEL_FLOW). */
export const TRAVEL_FORM: FormDefinition = {
  id: 'travel',
  name: '出差申请',
  flowId: 'travel',
  fields: [
    { key: 'destination', label: '出差地点', type: 'text', required: true, maxLength: 100 },
    { key: 'startDate', label: '出发日期', type: 'date', required: true },
    { key: 'endDate', label: '返回日期', type: 'date', required: true, notBefore: 'startDate' },
    {
      key: 'days',
      label: '出差天数',
      type: 'number',
      required: true,
      min: 0.5,
      max: 365,
      step: 0.5,
    },
    {
      key: 'purpose',
      label: '出差事由',
      type: 'text',
      required: true,
      maxLength: 500,
      multiline: true,
    },
    { key: 'companions', label: '同行人员', type: 'person', required: false, multiple: true },
    {
      key: 'transport',
      label: '交通方式',
      type: 'select',
      required: true,
      options: ['火车', '飞机', '公务用车', '其他'],
    },
    { key: 'budget', label: '预算（元）', type: 'number', required: false, min: 0, step: 0.01 },
  ],
}

/** 用印申请: the unit's official seals need the 分管领导 too (SEAL_FLOW). */
export const SEAL_FORM: FormDefinition = {
  id: 'sealRequest',
  name: '用印申请',
  flowId: 'seal',
  fields: [
    {
      key: 'sealType',
      label: '印章类型',
      type: 'select',
      required: true,
      options: ['单位公章', '党组印章', '合同专用章', '法定代表人章'],
    },
    { key: 'documentTitle', label: '用印文件名称', type: 'text', required: true, maxLength: 200 },
    {
      key: 'copies',
      label: '用印份数',
      type: 'number',
      required: true,
      min: 1,
      max: 1000,
      step: 1,
    },
    {
      key: 'purpose',
      label: '用印事由',
      type: 'text',
      required: true,
      maxLength: 500,
      multiline: true,
    },
    { key: 'recipientUnits', label: '送达单位', type: 'unit', required: false, multiple: true },
    { key: 'attachments', label: '用印文件', type: 'attachment', required: true, maxFiles: 10 },
  ],
}

/** The built-in forms by id. */
export const BUILTIN_FORMS: Readonly<Record<string, FormDefinition>> = {
  [LEAVE_FORM.id]: LEAVE_FORM,
  [TRAVEL_FORM.id]: TRAVEL_FORM,
  [SEAL_FORM.id]: SEAL_FORM,
}
