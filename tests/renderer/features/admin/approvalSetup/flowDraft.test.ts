import { describe, expect, test } from 'vitest'
import { BUILTIN_FLOWS, GONGWEN_OUTGOING_FLOW, LEAVE_FLOW } from '../../../../../shared/approvals'
import type { FlowTemplate } from '../../../../../shared/approvals'
import {
  draftFromFlow,
  emptyFlowDraft,
  flowFromDraft,
  moveStage,
  newAssignee,
  newCondition,
  newStage,
  parseConditionValue,
  problemsAt,
} from '../../../../../renderer/src/features/admin/approvalSetup/flowDraft'

/** A template with every stage's kind spelled out (absent means review). */
function explicit(flow: FlowTemplate): FlowTemplate {
  return {
    ...flow,
    stages: flow.stages.map((stage) => ({ ...stage, kind: stage.kind ?? 'review' })),
  }
}

describe('flow editor model', () => {
  test('every built-in flow survives a round trip through the editor unchanged', () => {
    for (const flow of Object.values(BUILTIN_FLOWS)) {
      const checked = flowFromDraft(draftFromFlow(flow))
      expect(checked.ok, flow.id).toBe(true)
      if (checked.ok) {
        expect(checked.flow).toEqual(explicit(flow))
      }
    }
  })

  test('an admin builds a leave flow: 科室负责人, then 分管领导 when over 3 days, with limits', () => {
    const draft = emptyFlowDraft('form')
    draft.id = 'leave2'
    draft.name = ' 请假审批（机关） '
    const first = draft.stages[0]!
    first.id = 'head'
    first.name = '科室负责人审批'
    first.timeLimitHours = 24
    first.remindBeforeHours = 4
    const second = newStage(draft.stages)
    second.name = '分管领导审批'
    second.assignees = [{ ...newAssignee('post'), value: '分管领导' }]
    second.conditions = [{ ...newCondition(), field: 'days', op: '>', value: '3' }]
    draft.stages.push(second)
    const person = newStage(draft.stages)
    person.name = '人事处备案'
    person.mode = 'any'
    person.assignees = [
      { ...newAssignee('user'), value: 'u-hr1', label: '王五' },
      { ...newAssignee('role'), value: 'registrar' },
    ]
    draft.stages.push(person)
    const checked = flowFromDraft(draft)
    expect(checked).toEqual({
      ok: true,
      flow: {
        id: 'leave2',
        name: '请假审批（机关）',
        subjectType: 'form',
        stages: [
          {
            id: 'head',
            name: '科室负责人审批',
            kind: 'review',
            mode: 'sequential',
            assignees: [{ post: '科室负责人' }],
            timeLimitHours: 24,
            remindBeforeHours: 4,
          },
          {
            id: 'stage2',
            name: '分管领导审批',
            kind: 'review',
            mode: 'sequential',
            assignees: [{ post: '分管领导' }],
            when: [{ field: 'days', op: '>', value: 3 }],
          },
          {
            id: 'stage3',
            name: '人事处备案',
            kind: 'review',
            mode: 'any',
            assignees: [{ user: 'u-hr1' }, { role: 'registrar' }],
          },
        ],
      },
    })
  })

  test('stages move up and down and stay put at the ends', () => {
    const draft = draftFromFlow(LEAVE_FLOW)
    const ids = (stages: typeof draft.stages) => stages.map((stage) => stage.id)
    expect(ids(moveStage(draft.stages, 1, -1))).toEqual(['leader', 'head'])
    expect(ids(moveStage(draft.stages, 0, -1))).toEqual(['head', 'leader'])
    expect(ids(moveStage(draft.stages, 1, 1))).toEqual(['head', 'leader'])
  })

  test('problems name the stage and the place, in keys the screen translates', () => {
    const draft = draftFromFlow(LEAVE_FLOW)
    draft.id = 'bad id'
    draft.name = ''
    const [head, leader] = draft.stages
    head!.id = 'start'
    leader!.id = 'start'
    leader!.name = ' '
    leader!.assignees = [{ ...newAssignee('user'), value: '' }]
    leader!.conditions = [{ ...newCondition(), field: 'days', op: '>', value: '' }]
    leader!.timeLimitHours = null
    leader!.remindBeforeHours = 2
    const checked = flowFromDraft(draft)
    expect(checked.ok).toBe(false)
    if (checked.ok) {
      return
    }
    const keys = checked.problems.map((problem) => problem.key)
    expect(keys).toEqual(
      expect.arrayContaining([
        'idInvalid',
        'nameRequired',
        'stageIdInvalid',
        'stageNameRequired',
        'assignee_user',
        'conditionValue',
        'remindNeedsLimit',
      ]),
    )
    const second = problemsAt(checked.problems, `stages.${leader!.key}`)
    expect(second.every((problem) => problem.params?.number === 2)).toBe(true)
  })

  test('duplicate stage ids, a reminder not before the limit and numbering on a form are refused', () => {
    const draft = draftFromFlow(LEAVE_FLOW)
    draft.stages[1]!.id = 'head'
    draft.stages[0]!.remindBeforeHours = 24
    draft.stages[0]!.kind = 'number'
    const checked = flowFromDraft(draft)
    expect(checked.ok).toBe(false)
    if (!checked.ok) {
      expect(checked.problems.map((p) => p.key)).toEqual(
        expect.arrayContaining(['stageIdDuplicate', 'remindBeforeLimit', 'numberNeedsDocument']),
      )
    }
  })

  test('the 公文 chain keeps its 会签 field assignee and its != condition', () => {
    const checked = flowFromDraft(draftFromFlow(GONGWEN_OUTGOING_FLOW))
    expect(checked.ok && checked.flow.stages[1]).toEqual(GONGWEN_OUTGOING_FLOW.stages[1])
  })

  test('condition values are typed from what the admin typed', () => {
    expect(parseConditionValue('>', ' 3 ')).toBe(3)
    expect(parseConditionValue('==', '分管领导')).toBe('分管领导')
    expect(parseConditionValue('==', 'true')).toBe(true)
    expect(parseConditionValue('in', '单位公章、党组印章, 5')).toEqual(['单位公章', '党组印章', 5])
    expect(parseConditionValue('nonEmpty', 'x')).toBeUndefined()
  })
})
