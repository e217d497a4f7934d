import { describe, expect, test } from 'vitest'
import { sm2 } from 'sm-crypto-v2'
import {
  ActRequestSchema,
  ApprovalActionSchema,
  StartApprovalRequestSchema,
} from '../../../shared/approvals/actionSchema'
import {
  CanonicalJsonError,
  actionSigningBytes,
  actionSigningText,
  canonicalJson,
  isIsoUtcMillis,
  utf8Bytes,
  wireAction,
} from '../../../shared/approvals/canonical'
import {
  documentNumberCounter,
  formatCounterNumber,
  formatDocumentNumber,
  formatOrderNumber,
  parseDocumentNumber,
  parseOrderNumber,
} from '../../../shared/approvals/documentNumber'
import { shanghaiDateText, shanghaiYear } from '../../../shared/approvals/shanghaiTime'
import type { ApprovalAction, RecordedAction } from '../../../shared/approvals/actions'

const action: ApprovalAction = {
  approvalId: 'ap-1',
  type: 'signoff',
  stageId: 'signoff',
  nonce: 'Zk3-9_abcdef',
  createdAt: '2026-12-07T02:21:26.000Z',
  opinion: '同意印发',
  contentDigest: 'a'.repeat(64),
}

describe('canonical JSON (RFC 8785)', () => {
  test('sorts keys by UTF-16 code units and writes ECMAScript number forms (the RFC’s examples)', () => {
    const keys = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    }
    expect(canonicalJson(keys)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    )
    expect(
      canonicalJson({
        // reason: RFC 8785's own example writes this literal with more digits than a double keeps
        // eslint-disable-next-line no-loss-of-precision
        numbers: [333333333.33333329, 1e30, 4.5, 2e-3, 0.000000000000000000000000001],
      }),
    ).toBe('{"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27]}')
  })

  test('omits absent fields and refuses null, non-finite numbers and non-plain objects', () => {
    expect(canonicalJson({ b: 1, a: undefined, c: [true, 'x'] })).toBe('{"b":1,"c":[true,"x"]}')
    expect(() => canonicalJson({ opinion: null })).toThrow(CanonicalJsonError)
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(CanonicalJsonError)
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(CanonicalJsonError)
    expect(() => canonicalJson([undefined])).toThrow(CanonicalJsonError)
    expect(() => canonicalJson({ s: '\ud800' })).toThrow()
  })

  test('times are ISO 8601 UTC with milliseconds', () => {
    expect(isIsoUtcMillis('2026-12-07T02:21:26.000Z')).toBe(true)
    for (const bad of [
      '2026-12-07T02:21:26Z',
      '2026-12-07T10:21:26.000+08:00',
      '2026-02-30T00:00:00.000Z',
      '2026-12-07 02:21:26.000Z',
    ]) {
      expect(isIsoUtcMillis(bad)).toBe(false)
    }
  })
})

describe('the bytes an action’s signature covers', () => {
  test('are the UTF-8 of the canonical JSON of the wire fields only', () => {
    const text = actionSigningText(action)
    expect(text).toBe(
      `{"approvalId":"ap-1","contentDigest":"${'a'.repeat(64)}","createdAt":"2026-12-07T02:21:26.000Z",` +
        '"nonce":"Zk3-9_abcdef","opinion":"同意印发","stageId":"signoff","type":"signoff"}',
    )
    const recorded: RecordedAction = {
      ...action,
      id: 'x',
      actorId: 'chief',
      outcome: 'applied',
      receivedAt: '2026-12-07T02:21:27.000Z',
    }
    expect(actionSigningText(recorded)).toBe(text)
    expect(wireAction(recorded)).toEqual(action)
    expect(Array.from(actionSigningBytes(action))).toEqual(Array.from(Buffer.from(text, 'utf8')))
  })

  test('UTF-8 encodes every plane like Node does', () => {
    const sample = 'a é 中 〔〕 😀 \u0000'
    expect(Array.from(utf8Bytes(sample))).toEqual(Array.from(Buffer.from(sample, 'utf8')))
  })

  test('an SM2 signature (SM3, default user ID) over them verifies, and fails after any change', () => {
    const keys = sm2.generateKeyPairHex()
    const options = { der: true, hash: true, userId: '1234567812345678' }
    const signature = sm2.doSignature(actionSigningBytes(action), keys.privateKey, options)
    expect(
      sm2.doVerifySignature(actionSigningBytes(action), signature, keys.publicKey, options),
    ).toBe(true)
    const changed = actionSigningBytes({ ...action, opinion: '同意' })
    expect(sm2.doVerifySignature(changed, signature, keys.publicKey, options)).toBe(false)
  })
})

describe('wire schemas', () => {
  test('accept a well-formed action and act request', () => {
    expect(ApprovalActionSchema.parse(action)).toEqual(action)
    const addSigner = {
      ...action,
      type: 'addSigner',
      stageId: 'review',
      target: { userIds: ['u1'], position: 'before' },
    }
    expect(ApprovalActionSchema.safeParse(addSigner).success).toBe(true)
    expect(
      ActRequestSchema.safeParse({ action, deviceId: 'dev-1', signature: '30'.repeat(35) }).success,
    ).toBe(true)
  })

  test('refuse null, unknown keys, system types, bad times, digests and targets', () => {
    const bad = [
      { ...action, opinion: null },
      { ...action, extra: 1 },
      { ...action, type: 'number' },
      { ...action, type: 'reassign' },
      { ...action, createdAt: '2026-12-07T02:21:26Z' },
      { ...action, contentDigest: 'A'.repeat(64) },
      { ...action, nonce: 'short' },
      { ...action, type: 'return' },
      { ...action, type: 'transfer', target: { stageId: 'x' } },
      { ...action, type: 'addSigner', target: { userIds: [], position: 'before' } },
    ]
    for (const body of bad) {
      expect(ApprovalActionSchema.safeParse(body).success, JSON.stringify(body)).toBe(false)
    }
  })

  test('a start request names a flow or ad-hoc stages, not both', () => {
    const subject = { type: 'document', documentId: 'd1' }
    expect(
      StartApprovalRequestSchema.safeParse({ subject, flowId: 'gongwen-outgoing' }).success,
    ).toBe(true)
    expect(
      StartApprovalRequestSchema.safeParse({
        subject,
        stages: [{ name: '审核', mode: 'any', assignees: ['u1', 'u2'] }],
        cc: ['u3'],
      }).success,
    ).toBe(true)
    expect(StartApprovalRequestSchema.safeParse({ subject }).success).toBe(false)
    expect(
      StartApprovalRequestSchema.safeParse({
        subject,
        flowId: 'f',
        stages: [{ name: 'a', mode: 'all', assignees: ['u1'] }],
      }).success,
    ).toBe(false)
  })
})

describe('发文字号', () => {
  test('formats with the full year in 〔〕 and no leading zeros, and parses back', () => {
    expect(formatDocumentNumber('鲁政办发', 2026, 1)).toBe('鲁政办发〔2026〕1号')
    expect(formatDocumentNumber('国办发', 2023, 105)).toBe('国办发〔2023〕105号')
    expect(parseDocumentNumber('鲁政办发〔2026〕1号')).toEqual({
      agencyCode: '鲁政办发',
      year: 2026,
      serial: 1,
    })
    for (const bad of [
      '鲁政办发〔2026〕01号',
      '鲁政办发〔26〕1号',
      '鲁政办发[2026]1号',
      '鲁政办发（2026）1号',
      '鲁政办发〔2026〕第1号',
      '〔2026〕1号',
      '鲁政办发〔2026〕1',
    ]) {
      expect(parseDocumentNumber(bad), bad).toBeNull()
    }
    expect(() => formatDocumentNumber('鲁政办发', 2026, 0)).toThrow(RangeError)
    expect(() => formatDocumentNumber('鲁政办发', 26, 1)).toThrow(RangeError)
    expect(() => formatDocumentNumber('鲁政〔办〕发', 2026, 1)).toThrow(RangeError)
    expect(formatOrderNumber(12)).toBe('第12号')
    expect(parseOrderNumber('第12号')).toBe(12)
    expect(parseOrderNumber('第012号')).toBeNull()
  })

  test('numbers restart each Asia/Shanghai year, except 命令 (令), whose numbers run on', () => {
    // 2026-12-31 16:00 UTC is already 2027-01-01 in Shanghai.
    expect(shanghaiYear('2026-12-31T15:59:59.999Z')).toBe(2026)
    expect(shanghaiYear('2026-12-31T16:00:00.000Z')).toBe(2027)
    expect(shanghaiDateText('2026-12-31T16:00:00.000Z')).toBe('2027年1月1日')
    expect(shanghaiDateText('2026-03-05T02:00:00.000Z')).toBe('2026年3月5日')
    const notice = (numberedAt: string) =>
      documentNumberCounter({
        unitId: 'office',
        agencyCode: '鲁政办发',
        docType: 'notice',
        numberedAt,
      })
    expect(notice('2026-12-31T15:00:00.000Z')).toEqual({
      key: 'office/鲁政办发/2026',
      kind: 'yearly',
      year: 2026,
    })
    expect(notice('2026-12-31T17:00:00.000Z').key).toBe('office/鲁政办发/2027')
    const order = (numberedAt: string) =>
      documentNumberCounter({
        unitId: 'office',
        agencyCode: '鲁政办发',
        docType: 'order',
        numberedAt,
      })
    expect(order('2026-06-01T00:00:00.000Z')).toEqual(order('2027-06-01T00:00:00.000Z'))
    expect(formatCounterNumber(order('2027-06-01T00:00:00.000Z'), '鲁政办发', 3)).toBe('第3号')
    expect(formatCounterNumber(notice('2026-12-31T17:00:00.000Z'), '鲁政办发', 1)).toBe(
      '鲁政办发〔2027〕1号',
    )
  })
})
