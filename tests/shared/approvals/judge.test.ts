import { describe, expect, test } from 'vitest'
import { judge } from '../../../shared/approvals/judge'
import { reduce } from '../../../shared/approvals/reduce'
import { APPROVAL_ERROR_STATUS } from '../../../shared/approvals/verdicts'
import { DIGEST, Harness, codeOf, instanceOf } from './fixtures'

const twoStages = () =>
  new Harness(
    instanceOf([
      { id: 'review', assignees: ['head1'] },
      { id: 'sign', kind: 'signoff', assignees: ['chief'] },
      { id: 'number', kind: 'number', mode: 'any', assignees: ['reg'] },
    ]),
  ).ok('clerk', { type: 'submit', stageId: 'start' })

describe('invalid_action: the action does not fit', () => {
  test('another approval, an unknown stage, a type the stage does not take', () => {
    const h = twoStages()
    const base = {
      approvalId: 'ap-1',
      nonce: 'nonce-0001',
      createdAt: h.now(),
      contentDigest: DIGEST,
    }
    expect(
      codeOf(
        judge(
          h.instance,
          h.actions,
          { ...base, approvalId: 'ap-2', type: 'approve', stageId: 'review' },
          'head1',
          { now: h.now() },
        ),
      ),
    ).toBe('invalid_action')
    expect(codeOf(h.act('head1', { type: 'approve', stageId: 'nope' }))).toBe('invalid_action')
    // Only a signoff stage takes signoff, and a signoff stage takes no plain approve.
    expect(codeOf(h.act('head1', { type: 'signoff', stageId: 'review' }))).toBe('invalid_action')
    expect(codeOf(h.act('chief', { type: 'approve', stageId: 'sign' }))).toBe('invalid_action')
  })

  test('a number stage is completed by the register, not by a person', () => {
    const h = twoStages()
      .ok('head1', { type: 'approve', stageId: 'review' })
      .ok('chief', { type: 'signoff', stageId: 'sign' })
    expect(codeOf(h.act('reg', { type: 'approve', stageId: 'number' }))).toBe('invalid_action')
    // A person cannot issue a system action, and the system cannot act as a person.
    expect(
      codeOf(
        h.act('reg', {
          type: 'number',
          stageId: 'number',
          target: { documentNumber: '鲁政办发〔2026〕1号' },
        }),
      ),
    ).toBe('invalid_action')
    expect(codeOf(h.act('system', { type: 'approve', stageId: 'review' }))).toBe('invalid_action')
    h.ok('system', {
      type: 'number',
      stageId: 'number',
      target: { documentNumber: '鲁政办发〔2026〕1号' },
    })
    expect(h.state().documentNumber).toBe('鲁政办发〔2026〕1号')
    expect(h.state().status).toBe('approved')
  })

  test('approve and signoff on a document must carry the content digest', () => {
    const h = twoStages()
    const verdict = judge(
      h.instance,
      h.actions,
      {
        approvalId: 'ap-1',
        type: 'approve',
        stageId: 'review',
        nonce: 'nonce-0002',
        createdAt: h.now(),
      },
      'head1',
      { now: h.now() },
    )
    expect(verdict).toMatchObject({ ok: false, code: 'invalid_action', reason: 'digest_required' })
    expect(APPROVAL_ERROR_STATUS.invalid_action).toBe(400)
  })

  test('a form approval needs no digest', () => {
    const h = new Harness(
      instanceOf([{ id: 'a', assignees: ['head1'] }], {
        subject: { type: 'form', formId: 'leave', data: { days: 1 } },
      }),
    )
    h.ok('clerk', { type: 'submit', stageId: 'start' })
    const verdict = judge(
      h.instance,
      h.actions,
      {
        approvalId: 'ap-1',
        type: 'approve',
        stageId: 'a',
        nonce: 'nonce-0003',
        createdAt: h.now(),
      },
      'head1',
      { now: h.now() },
    )
    expect(verdict).toEqual({ ok: true, outcome: 'applied' })
  })
})

describe('replayed, not_assignee and the order of checks', () => {
  test('a seen nonce is replayed, even when the action would now be superseded', () => {
    const h = twoStages()
    h.ok('head1', { type: 'approve', stageId: 'review', nonce: 'same-nonce-1' })
    expect(
      codeOf(h.act('head1', { type: 'approve', stageId: 'review', nonce: 'same-nonce-1' })),
    ).toBe('replayed')
    expect(APPROVAL_ERROR_STATUS.replayed).toBe(409)
  })

  test('invalid_action comes before replayed, replayed before not_assignee', () => {
    const h = twoStages()
    h.ok('head1', { type: 'comment', stageId: 'review', nonce: 'nonce-seen-1' })
    expect(
      codeOf(h.act('vice', { type: 'signoff', stageId: 'review', nonce: 'nonce-seen-1' })),
    ).toBe('invalid_action')
    expect(
      codeOf(h.act('vice', { type: 'approve', stageId: 'review', nonce: 'nonce-seen-1' })),
    ).toBe('replayed')
  })

  test('not_assignee comes before superseded: an outsider acting on a past stage is refused', () => {
    const h = twoStages().ok('head1', { type: 'approve', stageId: 'review' })
    expect(codeOf(h.act('vice', { type: 'approve', stageId: 'review' }))).toBe('not_assignee')
    expect(codeOf(h.act('head1', { type: 'approve', stageId: 'review' }))).toBe('superseded')
  })

  test('only the initiator submits, resubmits, urges and withdraws the approval', () => {
    const h = new Harness(instanceOf([{ id: 'a', assignees: ['head1'] }]))
    expect(codeOf(h.act('head1', { type: 'submit', stageId: 'start' }))).toBe('not_assignee')
    h.ok('clerk', { type: 'submit', stageId: 'start' })
    expect(codeOf(h.act('clerk', { type: 'submit', stageId: 'start' }))).toBe('too_late')
    expect(codeOf(h.act('head1', { type: 'urge', stageId: 'a' }))).toBe('not_assignee')
    expect(codeOf(h.act('head1', { type: 'withdraw', stageId: 'start' }))).toBe('not_assignee')
  })

  test('nothing but comments and submit happens before the submit', () => {
    const h = new Harness(instanceOf([{ id: 'a', assignees: ['head1'] }]))
    expect(codeOf(h.act('head1', { type: 'approve', stageId: 'a' }))).toBe('not_your_turn')
    h.ok('head1', { type: 'comment', stageId: 'a', opinion: '请尽快提交' })
  })
})

describe('delegation (代)', () => {
  const until = '2026-12-31T16:00:00.000Z'

  test('a deputy signs off for the leader with a signoff delegation; the timeline marks 代', () => {
    const h = twoStages().ok('head1', { type: 'approve', stageId: 'review' })
    expect(codeOf(h.act('dep', { type: 'signoff', stageId: 'sign', onBehalfOf: 'chief' }))).toBe(
      'not_assignee',
    )
    h.delegations = [{ from: 'chief', to: 'dep', scope: 'signoff', until }]
    h.ok('dep', { type: 'signoff', stageId: 'sign', onBehalfOf: 'chief', opinion: '同意' })
    const consent = h.state().stages[1]?.consents[0]
    expect(consent).toMatchObject({ userId: 'chief', actorId: 'dep', onBehalf: true })
  })

  test('a signoff delegation does not cover approve, reject or return; an all delegation does', () => {
    const h = twoStages()
    h.delegations = [{ from: 'head1', to: 'dep', scope: 'signoff', until }]
    expect(codeOf(h.act('dep', { type: 'approve', stageId: 'review', onBehalfOf: 'head1' }))).toBe(
      'not_assignee',
    )
    h.delegations = [{ from: 'head1', to: 'dep', scope: 'all', until }]
    h.ok('dep', { type: 'approve', stageId: 'review', onBehalfOf: 'head1' })
  })

  test('an expired or not yet started delegation, or one to someone else, is not in force', () => {
    const h = twoStages()
    h.delegations = [
      { from: 'head1', to: 'dep', scope: 'all', until: '2026-12-07T01:00:00.000Z' },
      {
        from: 'head1',
        to: 'dep',
        scope: 'all',
        since: '2027-01-01T00:00:00.000Z',
        until: '2027-02-01T00:00:00.000Z',
      },
      { from: 'head1', to: 'other', scope: 'all', until },
      { from: 'vice', to: 'dep', scope: 'all', until },
    ]
    expect(codeOf(h.act('dep', { type: 'approve', stageId: 'review', onBehalfOf: 'head1' }))).toBe(
      'not_assignee',
    )
  })

  test('acting on behalf of oneself is invalid; a deputy for a non-assignee is not_assignee', () => {
    const h = twoStages()
    expect(
      codeOf(h.act('head1', { type: 'approve', stageId: 'review', onBehalfOf: 'head1' })),
    ).toBe('invalid_action')
    h.delegations = [{ from: 'vice', to: 'dep', scope: 'all', until }]
    expect(codeOf(h.act('dep', { type: 'approve', stageId: 'review', onBehalfOf: 'vice' }))).toBe(
      'not_assignee',
    )
  })
})

describe('withdraw (撤回)', () => {
  test('the initiator withdraws until the first approver acts', () => {
    const h = twoStages()
    h.ok('clerk', { type: 'withdraw', stageId: 'start' })
    expect(h.state().status).toBe('withdrawn')
    expect(codeOf(h.act('head1', { type: 'approve', stageId: 'review' }))).toBe('superseded')
  })

  test('after the next person acted, the initiator’s withdraw is too_late', () => {
    const h = twoStages().ok('head1', { type: 'approve', stageId: 'review' })
    const verdict = h.act('clerk', { type: 'withdraw', stageId: 'start' })
    expect(verdict).toMatchObject({ ok: false, code: 'too_late', reason: 'next_acted' })
  })

  test('returned to the initiator, they may withdraw it instead of resubmitting', () => {
    const h = twoStages()
      .ok('head1', { type: 'return', stageId: 'review', target: { stageId: 'start' } })
      .ok('clerk', { type: 'withdraw', stageId: 'start' })
    expect(h.state().status).toBe('withdrawn')
  })

  test('an approver withdraws their approval until the next person acts; the stage re-opens for them', () => {
    const h = twoStages().ok('head1', { type: 'approve', stageId: 'review' })
    expect(h.state().currentStageId).toBe('sign')
    h.ok('head1', { type: 'withdraw', stageId: 'review' })
    const state = h.state()
    expect(state.currentStageId).toBe('review')
    expect(state.pending).toEqual(['head1'])
    expect(state.actions.map((a) => a.effect)).toEqual(['applied', 'withdrawn', 'applied'])
    h.ok('head1', { type: 'approve', stageId: 'review', opinion: '修改后同意' })
    h.ok('chief', { type: 'signoff', stageId: 'sign' })
    expect(codeOf(h.act('chief', { type: 'withdraw', stageId: 'sign' }))).toBe('applied')
  })

  test('an approver’s withdraw after the next person acted is too_late', () => {
    const h = twoStages()
      .ok('head1', { type: 'approve', stageId: 'review' })
      .ok('chief', { type: 'comment', stageId: 'sign', opinion: '阅' })
    // A comment is not acting on it…
    h.ok('head1', { type: 'withdraw', stageId: 'review' })
    h.ok('head1', { type: 'approve', stageId: 'review' }).ok('chief', {
      type: 'signoff',
      stageId: 'sign',
    })
    // …a signoff is.
    expect(h.act('head1', { type: 'withdraw', stageId: 'review' })).toMatchObject({
      code: 'too_late',
      reason: 'next_acted',
    })
  })

  test('a 会签 co-signer approving in parallel does not block a withdraw; a later stage does', () => {
    const h = new Harness(
      instanceOf([
        { id: 'c', kind: 'countersign', mode: 'all', assignees: ['head1', 'head2', 'legalHead'] },
        { id: 'r', assignees: ['vice'] },
      ]),
    ).ok('clerk', { type: 'submit', stageId: 'start' })
    h.ok('head1', { type: 'approve', stageId: 'c' }).ok('head2', { type: 'approve', stageId: 'c' })
    h.ok('head1', { type: 'withdraw', stageId: 'c' })
    expect(h.state().stages[0]?.steps[0]?.consented).toEqual(['head2'])
    h.ok('head1', { type: 'approve', stageId: 'c' }).ok('legalHead', {
      type: 'approve',
      stageId: 'c',
    })
    h.ok('vice', { type: 'approve', stageId: 'r' })
    expect(h.state().status).toBe('approved')
    expect(h.act('legalHead', { type: 'withdraw', stageId: 'c' })).toMatchObject({
      code: 'too_late',
    })
  })

  test('nothing to withdraw, or a finished approval, is too_late', () => {
    const h = twoStages()
    expect(h.act('chief', { type: 'withdraw', stageId: 'sign' })).toMatchObject({
      code: 'too_late',
      reason: 'nothing_to_withdraw',
    })
    h.ok('head1', { type: 'reject', stageId: 'review' })
    expect(h.act('head1', { type: 'withdraw', stageId: 'review' })).toMatchObject({
      code: 'too_late',
      reason: 'finished',
    })
  })

  test('a withdrawn transfer gives the place back', () => {
    const h = twoStages().ok('head1', {
      type: 'transfer',
      stageId: 'review',
      target: { userId: 'head2' },
    })
    expect(h.state().pending).toEqual(['head2'])
    h.ok('head1', { type: 'withdraw', stageId: 'review' })
    expect(h.state().pending).toEqual(['head1'])
  })
})

describe('a withdrawn decision is as if it had never been taken', () => {
  const withoutWithdrawn = (h: Harness, ...ids: string[]) =>
    h.actions.filter((a) => !ids.includes(a.id))

  test('for a co-signer whose consent completed nothing (taken back in place)', () => {
    const h = new Harness(
      instanceOf([
        { id: 'c', kind: 'countersign', mode: 'all', assignees: ['head1', 'head2', 'legalHead'] },
      ]),
    )
      .ok('clerk', { type: 'submit', stageId: 'start' })
      .ok('head1', { type: 'approve', stageId: 'c' })
      .ok('head2', { type: 'approve', stageId: 'c' })
      .ok('ccUser', { type: 'comment', stageId: 'c' })
      .ok('head1', { type: 'withdraw', stageId: 'c' })
    expect(h.state().stages).toEqual(
      reduce(h.instance, withoutWithdrawn(h, 'act-2', 'act-5')).stages,
    )
  })

  test('for a consent that moved the flow on (replayed)', () => {
    const h = twoStages()
      .ok('head1', { type: 'approve', stageId: 'review' })
      .ok('clerk', { type: 'urge', stageId: 'sign' })
      .ok('head1', { type: 'withdraw', stageId: 'review' })
    const state = h.state()
    const replayed = reduce(h.instance, withoutWithdrawn(h, 'act-2', 'act-4'))
    expect(state.stages.map((s) => ({ ...s, lastUrgedAt: undefined }))).toEqual(replayed.stages)
    expect(state.currentStageId).toBe(replayed.currentStageId)
  })
})

describe('urge and comment', () => {
  test('are recorded and change no state', () => {
    const h = twoStages()
    const before = h.state()
    h.ok('clerk', { type: 'urge', stageId: 'review' })
    h.ok('ccUser', { type: 'comment', stageId: 'review', opinion: '请关注' })
    h.ok('chief', { type: 'comment', stageId: 'sign', opinion: '待阅' })
    const after = h.state()
    expect(after.currentStageId).toBe(before.currentStageId)
    expect(after.pending).toEqual(before.pending)
    expect(after.stages[0]?.lastUrgedAt).toBeDefined()
    expect(after.actions).toHaveLength(4)
  })

  test('an outsider may not comment; urging a stage that moved on is superseded', () => {
    const h = twoStages()
    expect(codeOf(h.act('stranger', { type: 'comment', stageId: 'review' }))).toBe('not_assignee')
    h.ok('head1', { type: 'approve', stageId: 'review' })
    expect(codeOf(h.act('clerk', { type: 'urge', stageId: 'review' }))).toBe('superseded')
  })
})
