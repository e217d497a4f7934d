import { describe, expect, test } from 'vitest'
import { actionSigningText, ApprovalActionSchema } from '../../../../shared/approvals'
import { generateSm2KeyPair, sm2Sign, sm2Verify } from '../../../../shared/crypto/sm2'
import type { TodoItem } from '../../../../shared/http/routes/approvals'
import {
  approveAction,
  batchTargets,
  newNonce,
  runBatchApprove,
  summarize,
} from '../../../../renderer/src/features/todos/batchApprove'
import type { BatchPorts, SignedAction } from '../../../../renderer/src/features/todos/batchApprove'

const DIGEST = 'ab'.repeat(32)

function item(approvalId: string, overrides: Partial<TodoItem> = {}): TodoItem {
  return {
    approvalId,
    title: `审批 ${approvalId}`,
    subjectType: 'form',
    formId: 'leave',
    documentId: null,
    status: 'running',
    currentStageId: 'head',
    currentStageName: '科室负责人审批',
    initiatorId: 'u1',
    initiatorName: '张三',
    reopened: false,
    deadline: null,
    batchable: true,
    createdAt: '2026-12-07T01:00:00.000Z',
    updatedAt: '2026-12-07T01:00:00.000Z',
    ...overrides,
  }
}

function ports(overrides: Partial<BatchPorts> = {}): BatchPorts & { sent: SignedAction[] } {
  const pair = generateSm2KeyPair()
  const sent: SignedAction[] = []
  let n = 0
  return {
    sent,
    signer: {
      deviceId: 'dev-1',
      sign: async (bytes) => sm2Sign(bytes, pair.privateKey, pair.publicKey),
    },
    digestOf: async () => DIGEST,
    send: async (items) => {
      sent.push(...items)
      return items.map((signed) => ({ approvalId: signed.action.approvalId, outcome: 'applied' }))
    },
    now: () => Date.parse('2026-12-07T06:00:00.000Z'),
    nonce: () => `nonce-000${++n}`,
    ...overrides,
  }
}

describe('批量同意', () => {
  test('each selected row becomes its own approve at its current stage, valid on the wire', () => {
    const targets = batchTargets([item('a1'), item('a2'), item('a3')], new Set(['a1', 'a3']))
    expect(targets.map((t) => t.approvalId)).toEqual(['a1', 'a3'])
    const action = approveAction(
      targets[0],
      ' 同意 ',
      '2026-12-07T06:00:00.000Z',
      'nonce-0001',
      null,
    )
    expect(action).toEqual({
      approvalId: 'a1',
      type: 'approve',
      stageId: 'head',
      nonce: 'nonce-0001',
      createdAt: '2026-12-07T06:00:00.000Z',
      opinion: '同意',
    })
    expect(ApprovalActionSchema.safeParse(action).success).toBe(true)
    expect(actionSigningText(action)).not.toContain('contentDigest')
  })

  test('a document row carries its current digest; a form row none', async () => {
    const p = ports()
    const targets = batchTargets(
      [item('a1'), item('d1', { subjectType: 'document', formId: null, documentId: 'doc-1' })],
      new Set(['a1', 'd1']),
    )
    await runBatchApprove(targets, '同意', p)
    expect(p.sent.map((s) => s.action.contentDigest)).toEqual([undefined, DIGEST])
  })

  test('every action is signed separately over its canonical bytes, with fresh nonces', async () => {
    const pair = generateSm2KeyPair()
    const p = ports({
      signer: {
        deviceId: 'dev-1',
        sign: async (bytes) => sm2Sign(bytes, pair.privateKey, pair.publicKey),
      },
    })
    await runBatchApprove(batchTargets([item('a1'), item('a2')], new Set(['a1', 'a2'])), '', p)
    expect(p.sent).toHaveLength(2)
    expect(new Set(p.sent.map((s) => s.action.nonce)).size).toBe(2)
    expect(new Set(p.sent.map((s) => s.signature)).size).toBe(2)
    for (const signed of p.sent) {
      expect(signed.deviceId).toBe('dev-1')
      const bytes = new TextEncoder().encode(actionSigningText(signed.action))
      expect(sm2Verify(bytes, signed.signature, pair.publicKey)).toBe(true)
    }
  })

  test('each row shows its own verdict: applied, superseded, refused, or never sent', async () => {
    const p = ports({
      digestOf: async () => {
        throw Object.assign(new Error('gone'), { code: 'not_found' })
      },
      send: async (items) =>
        items.map((signed) =>
          signed.action.approvalId === 'a1'
            ? { approvalId: 'a1', outcome: 'applied' as const }
            : signed.action.approvalId === 'a2'
              ? { approvalId: 'a2', outcome: 'superseded' as const }
              : {
                  approvalId: signed.action.approvalId,
                  error: { code: 'not_assignee', message: '不是审批人' },
                },
        ),
    })
    const items = [
      item('a1'),
      item('a2'),
      item('a3'),
      item('d1', { subjectType: 'document', formId: null, documentId: 'doc-1' }),
    ]
    const results = await runBatchApprove(
      batchTargets(items, new Set(['a1', 'a2', 'a3', 'd1'])),
      '同意',
      p,
    )
    expect(results.map((r) => [r.approvalId, r.state, r.code])).toEqual([
      ['a1', 'applied', undefined],
      ['a2', 'superseded', undefined],
      ['a3', 'failed', 'not_assignee'],
      ['d1', 'failed', 'not_found'],
    ])
    expect(summarize(results)).toEqual({ applied: 1, superseded: 1, failed: 2 })
  })

  test('when nothing could be signed, nothing is sent', async () => {
    const p = ports({
      signer: {
        deviceId: 'dev-1',
        sign: async () => {
          throw Object.assign(new Error('no key'), { code: 'sign_failed' })
        },
      },
    })
    const results = await runBatchApprove(batchTargets([item('a1')], new Set(['a1'])), '同意', p)
    expect(p.sent).toHaveLength(0)
    expect(results[0]?.code).toBe('sign_failed')
  })

  test('nonces are unguessable base64url strings the contract accepts', () => {
    const nonce = newNonce()
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(newNonce()).not.toBe(nonce)
  })
})
