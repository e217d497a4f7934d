import { describe, expect, it } from 'vitest'
import {
  availableActions,
  composeDraft,
  delegationsTo,
  draftProblem,
  newNonce,
  returnTargets,
  stampDraft,
} from '../../../renderer/src/features/approvals/model/composer'
import { actionSigningText } from '../../../shared/approvals'
import { DIGEST, rec, viewOf } from './fixture'

const NOW = '2026-12-07T05:00:00.000Z'

function types(offers: ReturnType<typeof availableActions>): string[] {
  return offers.map((offer) =>
    offer.onBehalfOf === undefined ? offer.type : `${offer.type}@${offer.onBehalfOf}`,
  )
}

describe('action composer', () => {
  it('offers the initiator submit before anything, and only comment to others', () => {
    const view = viewOf([])
    expect(types(availableActions(view, 'u-drafter', [], NOW))).toEqual(['submit', 'comment'])
    expect(types(availableActions(view, 'u-rev', [], NOW))).toEqual(['comment'])
  })

  it('offers the pending reviewer 同意/驳回/退回/转交/加签 and the initiator 催办 and 撤回', () => {
    const view = viewOf([rec('u-drafter', { type: 'submit', stageId: 'start' })])
    expect(types(availableActions(view, 'u-rev', [], NOW))).toEqual([
      'approve',
      'reject',
      'return',
      'transfer',
      'addSigner',
      'comment',
    ])
    expect(types(availableActions(view, 'u-drafter', [], NOW))).toEqual([
      'urge',
      'withdraw',
      'comment',
    ])
  })

  it('offers 签发 (not 同意) at a signoff stage, and 代签 to a deputy with a delegation', () => {
    const view = viewOf([
      rec('u-drafter', { type: 'submit', stageId: 'start' }),
      rec('u-rev', { type: 'approve', stageId: 'review', contentDigest: DIGEST }),
      rec('u-a', { type: 'approve', stageId: 'cs', contentDigest: DIGEST }),
    ])
    expect(types(availableActions(view, 'u-chief', [], NOW))).toContain('signoff')
    expect(types(availableActions(view, 'u-chief', [], NOW))).not.toContain('approve')
    // Without a delegation the secretary has nothing but no place either.
    expect(types(availableActions(view, 'u-sec', [], NOW))).toEqual([])
    const delegations = delegationsTo('u-sec', [
      {
        fromUserId: 'u-chief',
        toUserId: 'u-sec',
        scope: 'signoff',
        until: '2026-12-31T16:00:00.000Z',
        revokedAt: null,
        createdAt: '2026-12-01T00:00:00.000Z',
      },
    ])
    // scope signoff: 签发 only, not 驳回 etc.
    expect(types(availableActions(view, 'u-sec', delegations, NOW))).toEqual(['signoff@u-chief'])
    // A revoked or expired delegation offers nothing.
    expect(
      availableActions(view, 'u-sec', delegations, '2027-01-05T00:00:00.000Z').map((o) => o.type),
    ).toEqual([])
  })

  it('lets the approver withdraw their decision until the next person acts', () => {
    const approved = [
      rec('u-drafter', { type: 'submit', stageId: 'start' }),
      rec('u-rev', { type: 'approve', stageId: 'review', contentDigest: DIGEST }),
    ]
    expect(types(availableActions(viewOf(approved), 'u-rev', [], NOW))).toEqual([
      'withdraw',
      'comment',
    ])
    const next = [
      ...approved,
      rec('u-a', { type: 'approve', stageId: 'cs', contentDigest: DIGEST }),
    ]
    expect(types(availableActions(viewOf(next), 'u-rev', [], NOW))).toEqual(['comment'])
  })

  it('offers the initiator resubmit after a return to start', () => {
    const view = viewOf([
      rec('u-drafter', { type: 'submit', stageId: 'start' }),
      rec('u-rev', { type: 'return', stageId: 'review', target: { stageId: 'start' } }),
    ])
    expect(types(availableActions(view, 'u-drafter', [], NOW))).toContain('resubmit')
    expect(types(availableActions(view, 'u-drafter', [], NOW))).not.toContain('submit')
  })

  it('lists the stages a return may go to', () => {
    const view = viewOf([
      rec('u-drafter', { type: 'submit', stageId: 'start' }),
      rec('u-rev', { type: 'approve', stageId: 'review', contentDigest: DIGEST }),
    ])
    expect(returnTargets(view, 'cs').map((stage) => stage.id)).toEqual(['review'])
    expect(returnTargets(view, 'review')).toEqual([])
  })

  it('builds drafts, refusing incomplete ones, trimming the opinion and omitting an empty one', () => {
    expect(draftProblem({ type: 'return', stageId: 'cs' })).toBe('approval.compose.pickStage')
    expect(draftProblem({ type: 'reject', stageId: 'cs', opinion: '  ' })).toBe(
      'approval.compose.reasonRequired',
    )
    expect(() => composeDraft({ type: 'transfer', stageId: 'cs' })).toThrow()
    expect(
      composeDraft({
        type: 'signoff',
        stageId: 'signoff',
        opinion: '  ',
        contentDigest: DIGEST,
        onBehalfOf: 'u-chief',
      }),
    ).toEqual({
      type: 'signoff',
      stageId: 'signoff',
      contentDigest: DIGEST,
      onBehalfOf: 'u-chief',
    })
    expect(
      composeDraft({
        type: 'addSigner',
        stageId: 'cs',
        addUsers: ['u-x'],
        position: 'before',
        opinion: ' 请法规处把关 ',
      }),
    ).toEqual({
      type: 'addSigner',
      stageId: 'cs',
      opinion: '请法规处把关',
      target: { userIds: ['u-x'], position: 'before' },
    })
  })

  it('stamps with a base64url nonce and ISO UTC ms, giving canonical signing text', () => {
    const nonce = newNonce()
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(newNonce()).not.toBe(nonce)
    const action = stampDraft(
      { type: 'comment', stageId: 'start', opinion: '请阅' },
      'ap1',
      new Date(Date.UTC(2026, 11, 7, 2, 21, 26)),
    )
    expect(action.createdAt).toBe('2026-12-07T02:21:26.000Z')
    expect(actionSigningText(action)).toBe(
      `{"approvalId":"ap1","createdAt":"2026-12-07T02:21:26.000Z","nonce":"${action.nonce}","opinion":"请阅","stageId":"start","type":"comment"}`,
    )
  })
})
