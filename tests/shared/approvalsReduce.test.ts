import { describe, expect, test } from 'vitest'
import { reduce } from '../../shared/approvals/reduce'
import { DIGEST2, Harness, codeOf, instanceOf } from './approvalsFixtures'

describe('sequential stages', () => {
  const flow = () =>
    new Harness(
      instanceOf([
        { id: 'review', assignees: ['head1'] },
        { id: 'sign', kind: 'signoff', assignees: ['chief'] },
      ]),
    )

  test('an unsubmitted approval waits for its initiator', () => {
    const state = flow().state()
    expect(state.status).toBe('running')
    expect(state.currentStageId).toBe('start')
    expect(state.pending).toEqual(['clerk'])
  })

  test('stages run in order and the last consent approves the approval', () => {
    const h = flow().ok('clerk', { type: 'submit', stageId: 'start' })
    expect(h.state().currentStageId).toBe('review')
    expect(h.state().pending).toEqual(['head1'])
    h.ok('head1', { type: 'approve', stageId: 'review', opinion: '同意' })
    expect(h.state().currentStageId).toBe('sign')
    h.ok('chief', { type: 'signoff', stageId: 'sign', opinion: '同意印发' })
    const state = h.state()
    expect(state.status).toBe('approved')
    expect(state.currentStageId).toBeNull()
    expect(state.pending).toEqual([])
    const signoff = state.stages[1]?.consents[0]
    expect(signoff).toMatchObject({ userId: 'chief', type: 'signoff', opinion: '同意印发', circled: false })
    expect(signoff?.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  })

  test('a signoff with no opinion is 圈阅 and counts as consent', () => {
    const h = flow()
      .ok('clerk', { type: 'submit', stageId: 'start' })
      .ok('head1', { type: 'approve', stageId: 'review' })
      .ok('chief', { type: 'signoff', stageId: 'sign' })
    expect(h.state().status).toBe('approved')
    expect(h.state().stages[1]?.consents[0]?.circled).toBe(true)
  })

  test('a later stage acting early is superseded, an outsider is not_assignee', () => {
    const h = flow().ok('clerk', { type: 'submit', stageId: 'start' })
    expect(codeOf(h.act('chief', { type: 'signoff', stageId: 'sign' }))).toBe('superseded')
    expect(codeOf(h.act('vice', { type: 'approve', stageId: 'review' }))).toBe('not_assignee')
    expect(h.state().currentStageId).toBe('review')
  })

  test('reject ends the approval as rejected', () => {
    const h = flow()
      .ok('clerk', { type: 'submit', stageId: 'start' })
      .ok('head1', { type: 'reject', stageId: 'review', opinion: '不符合要求' })
    expect(h.state().status).toBe('rejected')
    expect(codeOf(h.act('chief', { type: 'signoff', stageId: 'sign' }))).toBe('superseded')
  })
})

describe('modes within a stage', () => {
  test('依次: assignees act one after another; a later one is not_your_turn', () => {
    const h = new Harness(instanceOf([{ id: 'r', mode: 'sequential', assignees: ['head1', 'vice'] }]))
    h.ok('clerk', { type: 'submit', stageId: 'start' })
    expect(codeOf(h.act('vice', { type: 'approve', stageId: 'r' }))).toBe('not_your_turn')
    h.ok('head1', { type: 'approve', stageId: 'r' })
    expect(h.state().pending).toEqual(['vice'])
    h.ok('vice', { type: 'approve', stageId: 'r' })
    expect(h.state().status).toBe('approved')
  })

  test('会签 needs every assignee', () => {
    const h = new Harness(instanceOf([{ id: 'c', kind: 'countersign', mode: 'all', assignees: ['head1', 'head2', 'legalHead'] }]))
    h.ok('clerk', { type: 'submit', stageId: 'start' })
    h.ok('head2', { type: 'approve', stageId: 'c' })
    h.ok('head1', { type: 'approve', stageId: 'c' })
    expect(h.state().status).toBe('running')
    expect(h.state().pending).toEqual(['legalHead'])
    expect(codeOf(h.act('head1', { type: 'approve', stageId: 'c' }))).toBe('too_late')
    h.ok('legalHead', { type: 'approve', stageId: 'c' })
    expect(h.state().status).toBe('approved')
  })

  test('或签: the first approval decides, the second is recorded as superseded', () => {
    const h = new Harness(instanceOf([
      { id: 'any', mode: 'any', assignees: ['rev1', 'rev2'] },
      { id: 'sign', kind: 'signoff', assignees: ['chief'] },
    ]))
    h.ok('clerk', { type: 'submit', stageId: 'start' })
    h.ok('rev2', { type: 'approve', stageId: 'any' })
    expect(codeOf(h.act('rev1', { type: 'approve', stageId: 'any' }))).toBe('superseded')
    const state = h.state()
    expect(state.actions.map((a) => a.effect)).toEqual(['applied', 'applied', 'superseded'])
    expect(state.stages[0]?.consents.map((c) => c.userId)).toEqual(['rev2'])
    expect(state.currentStageId).toBe('sign')
  })
})

describe('return and resubmit', () => {
  const flow = () =>
    new Harness(
      instanceOf([
        { id: 'a', assignees: ['head1'] },
        { id: 'b', assignees: ['vice'] },
        { id: 'sign', kind: 'signoff', assignees: ['chief'] },
      ]),
    ).ok('clerk', { type: 'submit', stageId: 'start' })

  test('return to a named earlier stage re-opens it and resets the stages after it', () => {
    const h = flow()
      .ok('head1', { type: 'approve', stageId: 'a' })
      .ok('vice', { type: 'approve', stageId: 'b' })
      .ok('chief', { type: 'return', stageId: 'sign', target: { stageId: 'a' }, opinion: '请修改' })
    const state = h.state()
    expect(state.currentStageId).toBe('a')
    expect(state.pending).toEqual(['head1'])
    expect(state.stages.map((s) => s.status)).toEqual(['active', 'waiting', 'waiting'])
    h.ok('head1', { type: 'approve', stageId: 'a' })
    h.ok('vice', { type: 'approve', stageId: 'b' })
    h.ok('chief', { type: 'signoff', stageId: 'sign' })
    expect(h.state().status).toBe('approved')
  })

  test('return to the initiator waits for a resubmit, which restarts from the first stage', () => {
    const h = flow()
      .ok('head1', { type: 'approve', stageId: 'a' })
      .ok('vice', { type: 'return', stageId: 'b', target: { stageId: 'start' } })
    expect(h.state().currentStageId).toBe('start')
    expect(h.state().pending).toEqual(['clerk'])
    expect(codeOf(h.act('head1', { type: 'approve', stageId: 'a' }))).toBe('superseded')
    h.ok('clerk', { type: 'resubmit', stageId: 'start' })
    expect(h.state().currentStageId).toBe('a')
  })

  test('resubmit is refused unless returned; only the initiator resubmits', () => {
    const h = flow()
    expect(codeOf(h.act('clerk', { type: 'resubmit', stageId: 'start' }))).toBe('not_your_turn')
    h.ok('head1', { type: 'return', stageId: 'a', target: { stageId: 'start' } })
    expect(codeOf(h.act('head1', { type: 'resubmit', stageId: 'start' }))).toBe('not_assignee')
  })

  test('return to a later or unknown stage is invalid', () => {
    const h = flow()
    expect(codeOf(h.act('head1', { type: 'return', stageId: 'a', target: { stageId: 'b' } }))).toBe('invalid_action')
    expect(codeOf(h.act('head1', { type: 'return', stageId: 'a', target: { stageId: 'zz' } }))).toBe('invalid_action')
  })
})

describe('recorded lists', () => {
  test('reduce is deterministic and does not apply a tampered action', () => {
    const h = new Harness(instanceOf([{ id: 'a', assignees: ['head1'] }]))
    h.ok('clerk', { type: 'submit', stageId: 'start' })
    const forged = [...h.actions, { ...h.actions[0]!, id: 'x', nonce: 'n-x', type: 'approve' as const, stageId: 'a', actorId: 'vice', contentDigest: DIGEST2 }]
    const state = reduce(h.instance, forged)
    expect(state.status).toBe('running')
    expect(state.anomalies).toEqual([{ actionId: 'x', code: 'not_assignee', reason: 'not_participant' }])
    expect(reduce(h.instance, forged)).toEqual(state)
  })
})
