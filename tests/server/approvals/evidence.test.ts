/**
 * The evidence file of a real approval passes `npm run verify`; changing one byte of an action
 * fails it naming that action, and one byte of the relay's signature names the relay-signed part.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { EvidenceSchema, verifyEvidence } from '../../../shared/approvals'
import type { Evidence } from '../../../shared/approvals'
import { startTestRelay } from '../../utils/relay'
import type { TestRelay } from '../../utils/relay'
import {
  MemorySetup,
  actionOf,
  buildOffice,
  digestBecomes,
  digestOf,
  must,
  openDocument,
  writeBody,
} from './fixture'
import type { Office } from './fixture'

let relay: TestRelay
let office: Office
const setup = new MemorySetup()
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-evidence-'))

beforeAll(async () => {
  relay = await startTestRelay({ approvalSetup: setup })
  office = await buildOffice(relay, setup, 'ev')
})

afterAll(async () => {
  await relay?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

function verify(file: string): { status: number | null; out: string } {
  const tsx = path.resolve('node_modules/.bin/tsx')
  const run = spawnSync(tsx, ['scripts/verifyEvidence.ts', file], { encoding: 'utf8' })
  return { status: run.status, out: `${run.stdout}${run.stderr}` }
}

describe('evidence', () => {
  test('a real approval verifies; one changed byte is named', async () => {
    const { drafter, head, chief } = office
    const documentId = await drafter.api.createDocument('关于印发工作要点的通知')
    const client = await openDocument(relay, drafter, documentId)
    const before = await digestOf(drafter, documentId)
    writeBody(client, ['各处室：', '现将工作要点印发给你们。'])
    await digestBecomes(drafter, documentId, (digest) => digest !== before)
    client.destroy()
    const started = await drafter.api.request<{ id: string }>('POST', '/approvals', {
      subject: { type: 'document', documentId },
      flowId: 'gongwen-outgoing',
    })
    expect(started.status).toBe(201)
    const id = started.body.id
    await must(drafter, actionOf(id, 'submit', 'start'))
    const digest = await digestOf(head, documentId)
    await must(head, actionOf(id, 'approve', 'review', { contentDigest: digest, opinion: '同意' }))
    await must(
      chief,
      actionOf(id, 'signoff', 'signoff', { contentDigest: digest, opinion: '同意印发' }),
    )

    const response = await fetch(`${relay.url}/api/v1/approvals/${id}/evidence`, {
      headers: { authorization: `Bearer ${drafter.token}` },
    })
    expect(response.status).toBe(200)
    const text = await response.text()
    const evidence: Evidence = EvidenceSchema.parse(JSON.parse(text))
    expect(evidence.signed.actions.map((item) => item.action.type)).toEqual([
      'submit',
      'approve',
      'signoff',
      'number',
    ])
    expect(evidence.signed.actions[2]?.content).toBeDefined()
    expect(evidence.signed.relayPublicKey).toBe(relay.publicKey)
    expect(verifyEvidence(evidence, relay.publicKey).ok).toBe(true)
    const good = path.join(dir, 'good.json')
    fs.writeFileSync(good, text)
    expect(verify(good)).toMatchObject({ status: 0 })

    // One byte of the signoff's opinion.
    const signoff = evidence.signed.actions[2]
    const bytes = Buffer.from(text, 'utf8')
    const at = bytes.indexOf(Buffer.from('同意印发', 'utf8'))
    expect(at).toBeGreaterThan(0)
    const opinion = Buffer.from(bytes)
    opinion[at + 2] = (opinion[at + 2] ?? 0) ^ 0x01
    const bad = path.join(dir, 'opinion.json')
    fs.writeFileSync(bad, opinion)
    const failed = verify(bad)
    expect(failed.status).toBe(1)
    expect(failed.out).toContain(`action #3 (${signoff?.action.id}, signoff)`)
    expect(failed.out).not.toContain('action #2')

    // One byte of the covered content.
    const content = JSON.parse(text) as Evidence
    const covered = content.signed.actions[1]
    if (covered?.content !== undefined) {
      covered.content = covered.content.replace('工作要点', '工作要典')
    }
    const changed = path.join(dir, 'content.json')
    fs.writeFileSync(changed, JSON.stringify(content))
    const contentRun = verify(changed)
    expect(contentRun.status).toBe(1)
    expect(contentRun.out).toContain(
      `action #2 (${covered?.action.id}, approve): the content does not match`,
    )

    // One byte of the relay's signature.
    const relayBad = JSON.parse(text) as Evidence
    const last = relayBad.relaySignature.at(-1) === '0' ? '1' : '0'
    relayBad.relaySignature = relayBad.relaySignature.slice(0, -1) + last
    const relayFile = path.join(dir, 'relay.json')
    fs.writeFileSync(relayFile, JSON.stringify(relayBad))
    const relayRun = verify(relayFile)
    expect(relayRun.status).toBe(1)
    expect(relayRun.out).toContain('relay-signed part')
    expect(relayRun.out).not.toContain('action #')
  }, 60_000)
})
