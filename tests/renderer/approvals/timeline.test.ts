import { describe, expect, it } from 'vitest'
import {
  buildTimeline,
  personName,
  stageName,
} from '../../../renderer/src/features/approvals/model/timeline'
import { fullDateTime } from '../../../renderer/src/features/approvals/model/actionText'
import { DIGEST, rec, viewOf } from './fixture'

describe('approval timeline model', () => {
  it('names who, what, where and 代, and keeps the server order', () => {
    const actions = [
      rec('u-drafter', { type: 'submit', stageId: 'start' }),
      rec('u-rev', {
        type: 'return',
        stageId: 'review',
        opinion: '请补充依据',
        target: { stageId: 'start' },
      }),
      rec('u-drafter', { type: 'resubmit', stageId: 'start' }),
      rec('u-rev', { type: 'approve', stageId: 'review', contentDigest: DIGEST }),
      rec('u-a', { type: 'approve', stageId: 'cs', opinion: '同意', contentDigest: DIGEST }),
      rec('u-sec', {
        type: 'signoff',
        stageId: 'signoff',
        opinion: '同意印发',
        contentDigest: DIGEST,
        onBehalfOf: 'u-chief',
      }),
    ]
    const view = viewOf(actions)
    const entries = buildTimeline(view)
    expect(entries.map((entry) => entry.type)).toEqual([
      'submit',
      'return',
      'resubmit',
      'approve',
      'approve',
      'signoff',
    ])
    expect(entries[1]).toMatchObject({
      actorName: '赵核稿',
      stageName: '核稿',
      opinion: '请补充依据',
      target: { key: 'approval.target.returnToInitiator' },
      effect: 'applied',
    })
    // 核稿 approved without an opinion: 圈阅.
    expect(entries[3]?.circled).toBe(true)
    expect(entries[4]?.circled).toBe(false)
    expect(entries[5]).toMatchObject({
      actorName: '张秘书',
      onBehalfName: '李局长',
      stageName: '签发',
    })
    expect(entries[0]?.signature).toBe('unchecked')
    expect(view.status).toBe('approved')
  })

  it('marks a 或签 consent that came second as superseded and a withdrawn one as withdrawn', () => {
    const actions = [
      rec('u-drafter', { type: 'submit', stageId: 'start' }),
      rec('u-rev', { type: 'approve', stageId: 'review', contentDigest: DIGEST }),
      rec('u-a', { type: 'approve', stageId: 'cs', contentDigest: DIGEST }),
      rec('u-b', { type: 'approve', stageId: 'cs', contentDigest: DIGEST }, 'superseded'),
    ]
    const entries = buildTimeline(viewOf(actions))
    expect(entries[2]?.effect).toBe('applied')
    expect(entries[3]?.effect).toBe('superseded')

    const withdrawn = [
      rec('u-drafter', { type: 'submit', stageId: 'start' }),
      rec('u-rev', { type: 'approve', stageId: 'review', contentDigest: DIGEST }),
      rec('u-rev', { type: 'withdraw', stageId: 'review' }),
    ]
    const second = buildTimeline(viewOf(withdrawn))
    expect(second[1]?.effect).toBe('withdrawn')
  })

  it('shows ⚠ on a 签发 made stale by a reopen, and system actions as system-signed', () => {
    const actions = [
      rec('u-drafter', { type: 'submit', stageId: 'start' }),
      rec('u-rev', { type: 'approve', stageId: 'review', contentDigest: DIGEST }),
      rec('u-a', { type: 'approve', stageId: 'cs', contentDigest: DIGEST }),
      rec('u-chief', { type: 'signoff', stageId: 'signoff', contentDigest: DIGEST }),
    ]
    const signoffId = actions[3]?.id ?? ''
    // The approval is finished after 签发 here (no later stages), so re-open needs a running one:
    const withNumber = {
      ...viewOf(actions).instance,
      stages: [
        ...viewOf(actions).instance.stages,
        {
          id: 'number',
          name: '编号',
          kind: 'number' as const,
          mode: 'any' as const,
          assignees: ['u-reg'],
        },
      ],
    }
    const reopened = [
      ...actions,
      rec('system', { type: 'reopen', stageId: 'signoff', contentDigest: 'b'.repeat(64) }),
    ]
    const view = viewOf(reopened, withNumber)
    const entries = buildTimeline(view)
    expect(entries.find((entry) => entry.actionId === signoffId)?.stale).toBe(true)
    expect(entries.at(-1)).toMatchObject({ type: 'reopen', signature: 'system', actorName: '系统' })
  })

  it('appends queued actions the view does not hold yet, and drops them once it does', () => {
    const actions = [rec('u-drafter', { type: 'submit', stageId: 'start' })]
    const view = viewOf(actions)
    const queuedAction = {
      approvalId: 'ap1',
      type: 'approve' as const,
      stageId: 'review',
      nonce: 'queued-nonce-1',
      createdAt: '2026-12-07T03:00:00.000Z',
      contentDigest: DIGEST,
    }
    const entries = buildTimeline(view, { queued: [{ action: queuedAction, actorId: 'u-rev' }] })
    expect(entries.at(-1)).toMatchObject({
      effect: 'queued',
      signature: 'queued',
      actorName: '赵核稿',
      key: 'queued:queued-nonce-1',
    })

    const arrived = viewOf([
      ...actions,
      { ...queuedAction, id: 'actX', actorId: 'u-rev', outcome: 'applied' },
    ])
    const after = buildTimeline(arrived, { queued: [{ action: queuedAction, actorId: 'u-rev' }] })
    expect(after.filter((entry) => entry.effect === 'queued')).toEqual([])
    expect(after).toHaveLength(2)
  })

  it('names unknown people and stages by id, and 发起 for start', () => {
    const view = viewOf([])
    expect(personName(view, 'u-nobody')).toBe('u-nobody')
    expect(stageName(view, 'start')).toBe('发起')
    expect(stageName(view, 'cs')).toBe('会签')
  })

  it('writes full date-times in Asia/Shanghai', () => {
    expect(fullDateTime('2026-12-07T02:21:26.000Z')).toBe('2026年12月7日 10:21:26')
    expect(fullDateTime('2026-12-31T16:00:00.000Z')).toBe('2027年1月1日 00:00:00')
  })
})

describe('approvals error messages', () => {
  it('names the approvals codes, and leaves the others to the general table', async () => {
    const { approvalErrorKey } =
      await import('../../../renderer/src/features/approvals/model/actionText')
    expect(approvalErrorKey('digest_mismatch')).toBe('approval.error.digest_mismatch')
    expect(approvalErrorKey('not_your_turn')).toBe('approval.error.not_your_turn')
    expect(approvalErrorKey('forbidden')).toBeNull()
    expect(approvalErrorKey('toString')).toBeNull()
  })
})
