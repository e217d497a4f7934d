import { describe, expect, it } from 'vitest'
import { GONGWEN_OUTGOING_FLOW, LEAVE_FLOW } from '../../../shared/approvals'
import { StartApprovalRequestSchema } from '../../../shared/approvals'
import {
  adhocProblems,
  flowQuestions,
  startBody,
} from '../../../renderer/src/features/approvals/model/startRequest'

describe('start dialog logic', () => {
  it('asks the 公文 chain for its 会签 heads and who signs off', () => {
    expect(flowQuestions(GONGWEN_OUTGOING_FLOW)).toEqual({
      people: [{ field: 'countersigners', stageName: '会签' }],
      choices: [{ field: 'signoffBy', values: ['分管领导'] }],
    })
  })

  it('asks nothing of a flow without field stages or string conditions', () => {
    expect(flowQuestions(LEAVE_FLOW).people).toEqual([])
  })

  it('checks a 自由流程 stage by stage', () => {
    expect(adhocProblems([])).toEqual([{ key: 'approval.start.problems.noStages' }])
    expect(
      adhocProblems([
        { name: ' ', mode: 'sequential', kind: 'review', assignees: ['u1'] },
        { name: '会签', mode: 'all', kind: 'countersign', assignees: [] },
      ]),
    ).toEqual([
      { key: 'approval.start.problems.stageName', n: 1 },
      { key: 'approval.start.problems.stagePeople', n: 2 },
    ])
  })

  it('builds bodies the contract accepts: a flow with its answers, or ad-hoc stages, never both', () => {
    const flow = startBody({
      documentId: 'doc1',
      flowId: 'gongwen-outgoing',
      stages: [],
      answers: { countersigners: ['u-legal'], signoffBy: '' },
      cc: ['u-sec'],
    })
    expect(flow).toEqual({
      subject: { type: 'document', documentId: 'doc1' },
      flowId: 'gongwen-outgoing',
      cc: ['u-sec'],
      data: { countersigners: ['u-legal'] },
    })
    expect(StartApprovalRequestSchema.safeParse(flow).success).toBe(true)
    const adhoc = startBody({
      documentId: 'doc1',
      flowId: null,
      stages: [
        { name: ' 处内审核 ', mode: 'any', kind: 'review', assignees: ['u-a', 'u-b'] },
        { name: '签发', mode: 'sequential', kind: 'signoff', assignees: ['u-chief'] },
      ],
      answers: { countersigners: ['ignored'] },
      cc: [],
    })
    expect(adhoc).toEqual({
      subject: { type: 'document', documentId: 'doc1' },
      stages: [
        { name: '处内审核', mode: 'any', assignees: ['u-a', 'u-b'] },
        { name: '签发', mode: 'sequential', kind: 'signoff', assignees: ['u-chief'] },
      ],
    })
    expect(StartApprovalRequestSchema.safeParse(adhoc).success).toBe(true)
  })
})
