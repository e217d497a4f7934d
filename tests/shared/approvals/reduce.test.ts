import { describe, expect, test } from 'vitest'
import { judge } from '../../../shared/approvals/judge'
import { reduce } from '../../../shared/approvals/reduce'
import { DIGEST2, Harness, codeOf, instanceOf } from './fixtures'

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
    expect(signoff).toMatchObject({
      userId: 'chief',
      type: 'signoff',
      opinion: '同意印发',
      circled: false,
    })
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
    const h = new Harness(
      instanceOf([{ id: 'r', mode: 'sequential', assignees: ['head1', 'vice'] }]),
    )
    h.ok('clerk', { type: 'submit', stageId: 'start' })
    expect(codeOf(h.act('vice', { type: 'approve', stageId: 'r' }))).toBe('not_your_turn')
    h.ok('head1', { type: 'approve', stageId: 'r' })
    expect(h.state().pending).toEqual(['vice'])
    h.ok('vice', { type: 'approve', stageId: 'r' })
    expect(h.state().status).toBe('approved')
  })

  test('会签 needs every assignee', () => {
    const h = new Harness(
      instanceOf([
        { id: 'c', kind: 'countersign', mode: 'all', assignees: ['head1', 'head2', 'legalHead'] },
      ]),
    )
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
    const h = new Harness(
      instanceOf([
        { id: 'any', mode: 'any', assignees: ['rev1', 'rev2'] },
        { id: 'sign', kind: 'signoff', assignees: ['chief'] },
      ]),
    )
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
    expect(codeOf(h.act('head1', { type: 'return', stageId: 'a', target: { stageId: 'b' } }))).toBe(
      'invalid_action',
    )
    expect(
      codeOf(h.act('head1', { type: 'return', stageId: 'a', target: { stageId: 'zz' } })),
    ).toBe('invalid_action')
  })
})

describe('recorded lists', () => {
  test('reduce is deterministic and does not apply a tampered action', () => {
    const h = new Harness(instanceOf([{ id: 'a', assignees: ['head1'] }]))
    h.ok('clerk', { type: 'submit', stageId: 'start' })
    const forged = [
      ...h.actions,
      {
        ...h.actions[0]!,
        id: 'x',
        nonce: 'n-x',
        type: 'approve' as const,
        stageId: 'a',
        actorId: 'vice',
        contentDigest: DIGEST2,
      },
    ]
    const state = reduce(h.instance, forged)
    expect(state.status).toBe('running')
    expect(state.anomalies).toEqual([
      { actionId: 'x', code: 'not_assignee', reason: 'not_participant' },
    ])
    expect(reduce(h.instance, forged)).toEqual(state)
  })
})

describe('transfer (转交) and addSigner (加签)', () => {
  const one = () =>
    new Harness(
      instanceOf([
        { id: 'r', assignees: ['head1'] },
        { id: 'sign', kind: 'signoff', assignees: ['chief'] },
      ]),
    ).ok('clerk', { type: 'submit', stageId: 'start' })

  test('transfer hands the actor’s place to another user, who then holds it', () => {
    const h = one().ok('head1', { type: 'transfer', stageId: 'r', target: { userId: 'head2' } })
    expect(h.state().pending).toEqual(['head2'])
    expect(codeOf(h.act('head1', { type: 'approve', stageId: 'r' }))).toBe('not_assignee')
    h.ok('head2', { type: 'approve', stageId: 'r' })
    expect(h.state().currentStageId).toBe('sign')
  })

  test('transfer to oneself, to the initiator of a review, or to a deactivated account is invalid', () => {
    const h = one()
    expect(
      codeOf(h.act('head1', { type: 'transfer', stageId: 'r', target: { userId: 'head1' } })),
    ).toBe('invalid_action')
    expect(
      codeOf(h.act('head1', { type: 'transfer', stageId: 'r', target: { userId: 'clerk' } })),
    ).toBe('invalid_action')
    const action = {
      approvalId: 'ap-1',
      type: 'transfer',
      stageId: 'r',
      nonce: 'nonce-transfer',
      createdAt: h.now(),
      target: { userId: 'head2' },
    } as const
    const verdict = judge(h.instance, h.actions, action, 'head1', {
      now: h.now(),
      isActive: (user) => user !== 'head2',
    })
    expect(verdict).toMatchObject({ code: 'invalid_action', reason: 'inactive_target' })
  })

  test('before: the added signers act first, then the actor', () => {
    const h = one().ok('head1', {
      type: 'addSigner',
      stageId: 'r',
      target: { userIds: ['legalHead', 'head2'], position: 'before' },
    })
    expect(h.state().pending).toEqual(['legalHead'])
    expect(codeOf(h.act('head1', { type: 'approve', stageId: 'r' }))).toBe('not_your_turn')
    h.ok('legalHead', { type: 'approve', stageId: 'r' }).ok('head2', {
      type: 'approve',
      stageId: 'r',
    })
    expect(h.state().pending).toEqual(['head1'])
    h.ok('head1', { type: 'approve', stageId: 'r' })
    expect(h.state().currentStageId).toBe('sign')
  })

  test('after: the actor approves, then the added signer', () => {
    const h = one().ok('head1', {
      type: 'addSigner',
      stageId: 'r',
      target: { userIds: ['legalHead'], position: 'after' },
    })
    expect(h.state().pending).toEqual(['head1'])
    h.ok('head1', { type: 'approve', stageId: 'r' })
    expect(h.state().pending).toEqual(['legalHead'])
    h.ok('legalHead', { type: 'approve', stageId: 'r' })
    expect(h.state().currentStageId).toBe('sign')
  })

  test('parallel: the added signer joins the actor’s place; both must approve', () => {
    const h = one().ok('head1', {
      type: 'addSigner',
      stageId: 'r',
      target: { userIds: ['legalHead'], position: 'parallel' },
    })
    expect(h.state().pending).toEqual(['head1', 'legalHead'])
    h.ok('legalHead', { type: 'approve', stageId: 'r' })
    expect(h.state().currentStageId).toBe('r')
    h.ok('head1', { type: 'approve', stageId: 'r' })
    expect(h.state().currentStageId).toBe('sign')
  })

  test('adding someone who already has an open place in the stage is invalid', () => {
    const h = new Harness(
      instanceOf([{ id: 'r', mode: 'sequential', assignees: ['head1', 'vice'] }]),
    ).ok('clerk', { type: 'submit', stageId: 'start' })
    expect(
      codeOf(
        h.act('head1', {
          type: 'addSigner',
          stageId: 'r',
          target: { userIds: ['vice'], position: 'after' },
        }),
      ),
    ).toBe('invalid_action')
  })

  test('a return drops added signers but keeps transfers', () => {
    const h = new Harness(
      instanceOf([
        { id: 'a', assignees: ['head1'] },
        { id: 'b', assignees: ['vice'] },
      ]),
    ).ok('clerk', { type: 'submit', stageId: 'start' })
    h.ok('head1', { type: 'transfer', stageId: 'a', target: { userId: 'head2' } })
    h.ok('head2', {
      type: 'addSigner',
      stageId: 'a',
      target: { userIds: ['legalHead'], position: 'after' },
    })
    h.ok('head2', { type: 'approve', stageId: 'a' }).ok('legalHead', {
      type: 'approve',
      stageId: 'a',
    })
    h.ok('vice', { type: 'return', stageId: 'b', target: { stageId: 'a' } })
    expect(h.state().stages[0]?.assignees).toEqual(['head2'])
  })
})

describe('或签 with later steps', () => {
  test('a holder of an any-of step another decided is superseded even while the stage is current', () => {
    const h = new Harness(instanceOf([{ id: 'any', mode: 'any', assignees: ['rev1', 'rev2'] }]))
      .ok('clerk', { type: 'submit', stageId: 'start' })
      .ok('rev1', {
        type: 'addSigner',
        stageId: 'any',
        target: { userIds: ['vice'], position: 'after' },
      })
      .ok('rev1', { type: 'approve', stageId: 'any' })
    expect(h.state().currentStageId).toBe('any')
    expect(codeOf(h.act('rev2', { type: 'approve', stageId: 'any' }))).toBe('superseded')
    expect(codeOf(h.act('rev2', { type: 'reject', stageId: 'any' }))).toBe('superseded')
  })
})

describe('a deactivated assignee (改派)', () => {
  test('a reassign system action hands every open place to the successor', () => {
    const h = new Harness(
      instanceOf([
        { id: 'a', assignees: ['head1'] },
        { id: 'b', mode: 'all', assignees: ['vice', 'head1'] },
      ]),
    ).ok('clerk', { type: 'submit', stageId: 'start' })
    h.ok('system', {
      type: 'reassign',
      stageId: 'a',
      target: { fromUserId: 'head1', userId: 'head2' },
    })
    h.ok('system', {
      type: 'reassign',
      stageId: 'b',
      target: { fromUserId: 'head1', userId: 'head2' },
    })
    expect(h.state().pending).toEqual(['head2'])
    expect(codeOf(h.act('head1', { type: 'approve', stageId: 'a' }))).toBe('not_assignee')
    h.ok('head2', { type: 'approve', stageId: 'a' })
    expect(h.state().stages[1]?.assignees).toEqual(['vice', 'head2'])
  })

  test('a successor who already holds the stage keeps one place', () => {
    const h = new Harness(instanceOf([{ id: 'b', mode: 'all', assignees: ['vice', 'head1'] }]))
      .ok('clerk', { type: 'submit', stageId: 'start' })
      .ok('system', {
        type: 'reassign',
        stageId: 'b',
        target: { fromUserId: 'head1', userId: 'vice' },
      })
    expect(h.state().pending).toEqual(['vice'])
    h.ok('vice', { type: 'approve', stageId: 'b' })
    expect(h.state().status).toBe('approved')
  })

  test('reassigning someone without an open place is too_late', () => {
    const h = new Harness(
      instanceOf([
        { id: 'a', assignees: ['head1'] },
        { id: 'b', assignees: ['vice'] },
      ]),
    )
      .ok('clerk', { type: 'submit', stageId: 'start' })
      .ok('head1', { type: 'approve', stageId: 'a' })
    expect(
      codeOf(
        h.act('system', {
          type: 'reassign',
          stageId: 'a',
          target: { fromUserId: 'head1', userId: 'head2' },
        }),
      ),
    ).toBe('too_late')
  })
})

describe('发文复核: a substantive change after 签发 re-opens it', () => {
  const chain = () =>
    new Harness(
      instanceOf([
        { id: 'review', assignees: ['head1'] },
        { id: 'signoff', kind: 'signoff', assignees: ['chief'] },
        { id: 'number', kind: 'number', mode: 'any', assignees: ['reg'] },
        { id: 'seal', kind: 'seal', mode: 'any', assignees: ['reg'] },
      ]),
    )
      .ok('clerk', { type: 'submit', stageId: 'start' })
      .ok('head1', { type: 'approve', stageId: 'review' })

  test('the original signer must sign again; the previous signoff is stale', () => {
    const h = chain()
    h.delegations = [
      { from: 'chief', to: 'dep', scope: 'signoff', until: '2027-01-01T00:00:00.000Z' },
    ]
    h.ok('dep', { type: 'signoff', stageId: 'signoff', onBehalfOf: 'chief' })
    h.ok('system', {
      type: 'number',
      stageId: 'number',
      target: { documentNumber: '鲁政办发〔2026〕7号' },
    })
    expect(h.state().currentStageId).toBe('seal')
    h.ok('system', { type: 'reopen', stageId: 'signoff', contentDigest: DIGEST2 })
    const state = h.state()
    expect(state.currentStageId).toBe('signoff')
    expect(state.pending).toEqual(['chief'])
    expect(state.reopened).toMatchObject({
      stageId: 'signoff',
      contentDigest: DIGEST2,
      staleActionIds: ['act-3'],
    })
    expect(state.staleActionIds).toEqual(['act-3'])
    expect(state.actions.find((a) => a.id === 'act-3')?.stale).toBe(true)
    expect(state.stages[1]).toMatchObject({ status: 'active', reopened: true, consents: [] })
    // The 发文字号 once issued stands.
    expect(state.documentNumber).toBe('鲁政办发〔2026〕7号')
    expect(state.stages[2]?.status).toBe('done')
    h.ok('chief', { type: 'signoff', stageId: 'signoff', opinion: '同意' })
    const after = h.state()
    expect(after.reopened).toBeNull()
    expect(after.staleActionIds).toEqual(['act-3'])
    expect(after.currentStageId).toBe('seal')
  })

  test('reopen needs a completed signoff stage and a digest', () => {
    const h = chain()
    expect(codeOf(h.act('system', { type: 'reopen', stageId: 'signoff' }))).toBe('too_late')
    expect(codeOf(h.act('system', { type: 'reopen', stageId: 'review' }))).toBe('invalid_action')
  })
})

describe('skipped stages', () => {
  test('a skipped stage needs nobody and takes no action', () => {
    const h = new Harness(
      instanceOf([
        { id: 'a', assignees: [], skipped: 'initiator' },
        { id: 'b', assignees: ['vice'] },
      ]),
    ).ok('clerk', { type: 'submit', stageId: 'start' })
    const state = h.state()
    expect(state.currentStageId).toBe('b')
    expect(state.stages[0]?.status).toBe('skipped')
    expect(codeOf(h.act('vice', { type: 'return', stageId: 'b', target: { stageId: 'a' } }))).toBe(
      'invalid_action',
    )
  })

  test('an instance whose every stage is skipped is approved on submit', () => {
    const h = new Harness(instanceOf([{ id: 'a', assignees: [], skipped: 'initiator' }])).ok(
      'clerk',
      { type: 'submit', stageId: 'start' },
    )
    expect(h.state().status).toBe('approved')
  })
})

describe('recorded outcomes are checked', () => {
  test('an action recorded as applied that should have been superseded is an anomaly and not applied', () => {
    const h = new Harness(
      instanceOf([
        { id: 'any', mode: 'any', assignees: ['rev1', 'rev2'] },
        { id: 'b', assignees: ['vice'] },
      ]),
    )
      .ok('clerk', { type: 'submit', stageId: 'start' })
      .ok('rev1', { type: 'approve', stageId: 'any' })
    h.act('rev2', { type: 'approve', stageId: 'any' })
    const tampered = h.actions.map((a) =>
      a.id === 'act-3' ? { ...a, outcome: 'applied' as const } : a,
    )
    const state = reduce(h.instance, tampered)
    expect(state.anomalies).toEqual([
      {
        actionId: 'act-3',
        code: 'outcome_mismatch',
        reason: 'recorded applied, rules say superseded',
      },
    ])
    expect(state.actions[2]?.effect).toBe('invalid')
  })
})
