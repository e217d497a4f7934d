/**
 * DESIGN §7's refusals, each audited: an unknown device, a revoked one, a forged signature, an
 * action for another approval, a replayed nonce, someone who is not the assignee, a digest of other
 * content; a non-participant cannot read the approval or join its room, and a participant's write
 * into the `approval:<id>` room closes the socket with 4403 and is audited.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import { startTestRelay } from '../../utils/relay'
import type { TestRelay } from '../../utils/relay'
import { closed, connect, rawSocket, synced } from '../../utils/yclient'
import { MESSAGE_SYNC } from '../../../shared/protocol/messages'
import { generateSm2KeyPair } from '../../../shared/crypto/sm2'
import {
  MemorySetup,
  act,
  actionOf,
  buildOffice,
  digestOf,
  must,
  openDocument,
  sign,
  waitFor,
  writeBody,
} from './fixture'
import type { Office } from './fixture'

let relay: TestRelay
let office: Office
const setup = new MemorySetup()

beforeAll(async () => {
  relay = await startTestRelay({ approvalSetup: setup })
  office = await buildOffice(relay, setup, 'rf')
})

afterAll(async () => {
  await relay?.close()
})

async function refusals(approvalId: string): Promise<string[]> {
  const { rows } = await relay.audit.search({ action: 'approval.action_refused' }, 1000, 0)
  return rows
    .filter((row) => row.target === approvalId)
    .map((row) => String((JSON.parse(row.detail) as { code: string }).code))
}

/** A document with a body, and a submitted approval whose 核稿 is the head's. */
async function submitted(): Promise<{ id: string; documentId: string }> {
  const { drafter, head } = office
  const documentId = await drafter.api.createDocument('关于做好年终工作的通知')
  const client = await openDocument(relay, drafter, documentId)
  writeBody(client, ['各处室：', '请做好年终工作。'])
  await waitFor(() => true, 'write')
  await new Promise((resolve) => setTimeout(resolve, 300))
  client.destroy()
  const { status, body } = await drafter.api.request<{ id: string }>('POST', '/approvals', {
    subject: { type: 'document', documentId },
    stages: [{ name: '核稿', mode: 'sequential', assignees: [head.userId] }],
  })
  expect(status, JSON.stringify(body)).toBe(201)
  await must(drafter, actionOf(body.id, 'submit', 'start'))
  return { id: body.id, documentId }
}

describe('§7 refusals', () => {
  test('device, signature, approval, replay, assignee and digest are judged in order and audited', async () => {
    const { drafter, head, outsider, anyA } = office
    const { id, documentId } = await submitted()
    const digest = await digestOf(head, documentId)
    const approve = () => actionOf(id, 'approve', 's1', { contentDigest: digest, opinion: '同意' })

    // Someone else's device: unknown to this actor.
    const foreign = sign(anyA, approve())
    let answer = await head.api.request<{ error: { code: string } }>(
      'POST',
      `/approvals/${id}/actions`,
      foreign,
    )
    expect([answer.status, answer.body.error.code]).toEqual([403, 'unknown_device'])

    // A revoked device.
    const old = setup.register(head.userId)
    setup.revoke(old.deviceId)
    answer = await head.api.request('POST', `/approvals/${id}/actions`, sign(old, approve()))
    expect([answer.status, answer.body.error.code]).toEqual([403, 'revoked_device'])

    // A forged signature: the head's device id, another key.
    const forged = sign({ deviceId: head.deviceId, keys: generateSm2KeyPair() }, approve())
    answer = await head.api.request('POST', `/approvals/${id}/actions`, forged)
    expect([answer.status, answer.body.error.code]).toEqual([403, 'bad_signature'])

    // A signed action changed after signing (the opinion) fails the signature too.
    const signed = sign(head, approve())
    const tampered = { ...signed, action: { ...signed.action, opinion: '不同意' } }
    answer = await head.api.request('POST', `/approvals/${id}/actions`, tampered)
    expect([answer.status, answer.body.error.code]).toEqual([403, 'bad_signature'])

    // Signed for another approval than the URL's.
    const other = sign(head, { ...approve(), approvalId: 'another-approval' })
    answer = await head.api.request('POST', `/approvals/${id}/actions`, other)
    expect([answer.status, answer.body.error.code]).toEqual([400, 'invalid_action'])

    // Not the assignee (properly signed by their own device).
    const stranger = await act(outsider, approve())
    expect([stranger.status, stranger.body.error?.code]).toEqual([403, 'not_assignee'])

    // Signed over another digest.
    const wrongDigest = await act(head, { ...approve(), contentDigest: 'a'.repeat(64) })
    expect([wrongDigest.status, wrongDigest.body.error?.code]).toEqual([409, 'digest_mismatch'])

    // Applied once; the same signed body again is a replay.
    const good = sign(head, approve())
    answer = await head.api.request('POST', `/approvals/${id}/actions`, good)
    expect(answer.status).toBe(200)
    answer = await head.api.request('POST', `/approvals/${id}/actions`, good)
    expect([answer.status, answer.body.error.code]).toEqual([409, 'replayed'])

    expect(await refusals(id)).toEqual(
      expect.arrayContaining([
        'unknown_device',
        'revoked_device',
        'bad_signature',
        'invalid_action',
        'not_assignee',
        'digest_mismatch',
        'replayed',
      ]),
    )
    expect(await refusals(id)).toHaveLength(8)
    void drafter
  })

  test('a non-participant reads 404 and cannot join the room; a participant writing into it is closed with 4403 and audited', async () => {
    const { head, outsider } = office
    const { id } = await submitted()
    const hidden = await outsider.api.request<{ error: { code: string } }>(
      'GET',
      `/approvals/${id}`,
    )
    expect([hidden.status, hidden.body.error.code]).toEqual([404, 'not_found'])
    const evidence = await outsider.api.request('GET', `/approvals/${id}/evidence`)
    expect(evidence.status).toBe(404)

    const refused = await rawSocket(`${relay.wsUrl}/approval:${id}?token=${outsider.token}`)
    expect(await closed(refused)).toBe(4403)

    // The participant reads the projection live.
    const reader = connect(relay.wsUrl, `approval:${id}`, head.token)
    await synced(reader)
    await waitFor(() => reader.doc.getMap('approval').get('view') !== undefined, 'the view')
    const view = reader.doc.getMap('approval').get('view') as { id: string; status: string }
    expect([view.id, view.status]).toEqual([id, 'running'])
    reader.destroy()

    // …and may not write into it.
    const socket = await rawSocket(`${relay.wsUrl}/approval:${id}?token=${head.token}`)
    const doc = new Y.Doc()
    doc.getMap('approval').set('view', { status: 'approved' })
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_SYNC)
    syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(doc))
    socket.send(encoding.toUint8Array(encoder))
    expect(await closed(socket)).toBe(4403)
    await waitFor(() => true, 'audit')
    let audited = false
    for (let i = 0; i < 50 && !audited; i++) {
      const { rows } = await relay.audit.search({ action: 'relay.refused' }, 1000, 0)
      audited = rows.some(
        (row) =>
          row.target === `approval:${id}` &&
          row.actor_id === head.userId &&
          (JSON.parse(row.detail) as { reason: string }).reason === 'authoritative_write',
      )
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(audited).toBe(true)
    const after = await head.api.request<{ status: string }>('GET', `/approvals/${id}`)
    expect(after.body.status).toBe('running')
  })

  test('starting on a missing document is 404 before the initiator’s missing unit (400)', async () => {
    const { drafter, head } = office
    const unitless = await office.admin.createUser('rf_unitless', '无单位')
    const stages = [{ name: '核稿', mode: 'sequential', assignees: [head.userId] }]
    const missing = await unitless.api.request<{ error: { code: string } }>('POST', '/approvals', {
      subject: { type: 'document', documentId: 'no-such-document' },
      stages,
    })
    expect([missing.status, missing.body.error.code]).toEqual([404, 'not_found'])
    // Someone else's document reads as missing too.
    const foreign = await drafter.api.createDocument('关于他人文档的通知')
    const hidden = await unitless.api.request<{ error: { code: string } }>('POST', '/approvals', {
      subject: { type: 'document', documentId: foreign },
      stages,
    })
    expect([hidden.status, hidden.body.error.code]).toEqual([404, 'not_found'])
    // Their own document: now the missing unit is what stops them.
    const own = await unitless.api.createDocument('关于本人文档的通知')
    const noUnit = await unitless.api.request<{ error: { code: string; message: string } }>(
      'POST',
      '/approvals',
      { subject: { type: 'document', documentId: own }, stages },
    )
    expect([noUnit.status, noUnit.body.error.code]).toEqual([400, 'bad_request'])
    expect(noUnit.body.error.message).toContain('尚未分配单位')
  })

  test('only an owner or editor starts on a document; a document reader who is no participant reads 404; 代 without a delegation is not_assignee', async () => {
    const { drafter, head, anyA, anyB, secretary } = office
    const documentId = await drafter.api.createDocument('关于征求意见的函')
    await drafter.api.share(documentId, anyA.userId, 'reader')
    await drafter.api.share(documentId, anyB.userId, 'commenter')
    for (const who of [anyA, anyB]) {
      const refused = await who.api.request<{ error: { code: string } }>('POST', '/approvals', {
        subject: { type: 'document', documentId },
        stages: [{ name: '核稿', mode: 'sequential', assignees: [head.userId] }],
      })
      expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden'])
    }
    const started = await drafter.api.request<{ id: string }>('POST', '/approvals', {
      subject: { type: 'document', documentId },
      stages: [{ name: '核稿', mode: 'sequential', assignees: [head.userId] }],
    })
    expect(started.status).toBe(201)
    const id = started.body.id
    const hidden = await anyA.api.request('GET', `/approvals/${id}`)
    expect(hidden.status).toBe(404)
    await must(drafter, actionOf(id, 'submit', 'start'))
    const digest = await digestOf(head, documentId)
    const forged = await act(
      secretary,
      actionOf(id, 'approve', 's1', { contentDigest: digest, onBehalfOf: head.userId }),
    )
    expect([forged.status, forged.body.error?.code]).toEqual([403, 'not_assignee'])
  })
})
