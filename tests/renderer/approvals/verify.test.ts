import { describe, expect, it } from 'vitest'
import {
  checkSignature,
  verifySignatures,
} from '../../../renderer/src/features/approvals/model/verify'
import type { SignedRecord } from '../../../renderer/src/features/approvals/model/verify'
import { actionSigningBytes } from '../../../shared/approvals'
import { generateSm2KeyPair, sm2Sign } from '../../../shared/crypto/sm2'

const pair = generateSm2KeyPair()
const other = generateSm2KeyPair()

function signed(opinion: string): SignedRecord {
  const action = {
    approvalId: 'ap1',
    type: 'comment' as const,
    stageId: 'start',
    nonce: 'nonce-verify-1',
    createdAt: '2026-12-07T02:21:26.000Z',
    opinion,
  }
  return {
    ...action,
    id: 'act1',
    actorId: 'u-a',
    outcome: 'applied',
    deviceId: 'dev1',
    signature: sm2Sign(actionSigningBytes(action), pair.privateKey, pair.publicKey),
  }
}

describe('signature checks', () => {
  const keys = [{ id: 'dev1', publicKey: pair.publicKey }]

  it('accepts an untouched action and refuses one changed after signing', () => {
    const action = signed('同意')
    expect(checkSignature(action, keys)).toBe('valid')
    expect(checkSignature({ ...action, opinion: '不同意' }, keys)).toBe('invalid')
  })

  it('refuses a signature by a device that is not the actor’s, or with another key', () => {
    const action = signed('同意')
    expect(checkSignature({ ...action, deviceId: 'dev2' }, keys)).toBe('invalid')
    expect(checkSignature(action, [{ id: 'dev1', publicKey: other.publicKey }])).toBe('invalid')
  })

  it('leaves actions unchecked when the keys are unknown, and system actions to the relay', async () => {
    const action = signed('同意')
    expect(checkSignature(action, undefined)).toBe('unchecked')
    const system = {
      ...action,
      id: 'act2',
      actorId: 'system',
      deviceId: undefined,
      signature: undefined,
    }
    const checks = await verifySignatures([action, system], new Map([['u-a', keys]]))
    expect(checks.get('act1')).toBe('valid')
    expect(checks.get('act2')).toBe('system')
  })
})
