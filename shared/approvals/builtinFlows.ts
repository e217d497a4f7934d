/**
 * The built-in flow templates: the 公文 outgoing chain 拟稿 → 核稿 → 会签 (optional) → 签发 → 编号 →
 * 用印 → 分发 → 归档, and the flows of the built-in forms. 拟稿 is the initiator's own `submit` (stage
 * `start`), so the chain's stages begin at 核稿.
 *
 * Start options of a document (`data` of the start request) steer the 公文 chain:
 * `countersigners` (user ids: the heads who 会签; absent or empty: no 会签 stage) and `signoffBy`
 * (`分管领导` for documents the leader in charge signs; otherwise the 主要领导 signs).
 *
 * @example
 *   resolveFlow(GONGWEN_OUTGOING_FLOW, { ...params, data: { countersigners: ['u-legal'] } }, dir)
 */
import type { FlowTemplate } from './flowTemplate'

/** The registrar (文书/收发) role: numbers, seals, distributes and files. */
const REGISTRAR = { role: 'registrar' } as const

/** 公文 outgoing chain (发文). */
export const GONGWEN_OUTGOING_FLOW: FlowTemplate = {
  id: 'gongwen-outgoing',
  name: '发文办理',
  subjectType: 'document',
  stages: [
    {
      id: 'review',
      name: '核稿',
      kind: 'review',
      mode: 'sequential',
      assignees: [{ post: '科室负责人' }],
      timeLimitHours: 24,
      remindBeforeHours: 4,
    },
    {
      id: 'countersign',
      name: '会签',
      kind: 'countersign',
      mode: 'all',
      assignees: [{ field: 'countersigners' }],
      when: [{ field: 'countersigners', op: 'nonEmpty' }],
      timeLimitHours: 48,
      remindBeforeHours: 8,
    },
    {
      id: 'signoff',
      name: '签发',
      kind: 'signoff',
      mode: 'sequential',
      assignees: [{ post: '主要领导' }],
      when: [{ field: 'signoffBy', op: '!=', value: '分管领导' }],
      timeLimitHours: 48,
    },
    {
      id: 'signoffVice',
      name: '签发',
      kind: 'signoff',
      mode: 'sequential',
      assignees: [{ post: '分管领导' }],
      when: [{ field: 'signoffBy', op: '==', value: '分管领导' }],
      timeLimitHours: 48,
    },
    { id: 'number', name: '编号', kind: 'number', mode: 'any', assignees: [REGISTRAR] },
    {
      id: 'seal',
      name: '用印',
      kind: 'seal',
      mode: 'any',
      assignees: [REGISTRAR],
      timeLimitHours: 24,
    },
    {
      id: 'distribute',
      name: '分发',
      kind: 'distribute',
      mode: 'any',
      assignees: [REGISTRAR],
      timeLimitHours: 24,
    },
    { id: 'archive', name: '归档', kind: 'archive', mode: 'any', assignees: [REGISTRAR] },
  ],
}

/** 请假: 科室负责人; over 3 days also 分管领导. */
export const LEAVE_FLOW: FlowTemplate = {
  id: 'leave',
  name: '请假审批',
  subjectType: 'form',
  stages: [
    {
      id: 'head',
      name: '科室负责人审批',
      mode: 'sequential',
      assignees: [{ post: '科室负责人' }],
      timeLimitHours: 24,
      remindBeforeHours: 4,
    },
    {
      id: 'leader',
      name: '分管领导审批',
      mode: 'sequential',
      assignees: [{ post: '分管领导' }],
      when: [{ field: 'days', op: '>', value: 3 }],
      timeLimitHours: 24,
      remindBeforeHours: 4,
    },
  ],
}

/** 出差: 科室负责人 → 分管领导; over 5 days also 主要领导. */
export const TRAVEL_FLOW: FlowTemplate = {
  id: 'travel',
  name: '出差审批',
  subjectType: 'form',
  stages: [
    { id: 'head', name: '科室负责人审批', mode: 'sequential', assignees: [{ post: '科室负责人' }] },
    { id: 'leader', name: '分管领导审批', mode: 'sequential', assignees: [{ post: '分管领导' }] },
    {
      id: 'principal',
      name: '主要领导审批',
      mode: 'sequential',
      assignees: [{ post: '主要领导' }],
      when: [{ field: 'days', op: '>', value: 5 }],
    },
  ],
}

/** 用印申请: 科室负责人; the unit's official seals also 分管领导; then the seal keeper. */
export const SEAL_FLOW: FlowTemplate = {
  id: 'seal',
  name: '用印审批',
  subjectType: 'form',
  stages: [
    { id: 'head', name: '科室负责人审批', mode: 'sequential', assignees: [{ post: '科室负责人' }] },
    {
      id: 'leader',
      name: '分管领导审批',
      mode: 'sequential',
      assignees: [{ post: '分管领导' }],
      when: [{ field: 'sealType', op: 'in', value: ['单位公章', '党组印章', '法定代表人章'] }],
    },
    { id: 'seal', name: '用印', kind: 'seal', mode: 'any', assignees: [REGISTRAR] },
  ],
}

/** The built-in flow templates by id. */
export const BUILTIN_FLOWS: Readonly<Record<string, FlowTemplate>> = {
  [GONGWEN_OUTGOING_FLOW.id]: GONGWEN_OUTGOING_FLOW,
  [LEAVE_FLOW.id]: LEAVE_FLOW,
  [TRAVEL_FLOW.id]: TRAVEL_FLOW,
  [SEAL_FLOW.id]: SEAL_FLOW,
}
