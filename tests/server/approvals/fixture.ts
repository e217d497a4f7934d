/**
 * A province office for approval tests: units, people with posts and roles, an in-memory approval
 * set-up (device keys, delegations, 机关代字; the built-in flows and forms), signing with real SM2
 * keys, and helpers to write a document's body and act on approvals over HTTP.
 */
import { randomBytes } from 'node:crypto'
import { expect } from 'vitest'
import * as Y from 'yjs'
import { actionSigningBytes } from '../../../shared/approvals'
import type { ApprovalAction, Delegation } from '../../../shared/approvals'
import { generateSm2KeyPair, sm2Sign } from '../../../shared/crypto/sm2'
import type { Sm2KeyPair } from '../../../shared/crypto/sm2'
import type { ApprovalView } from '../../../shared/http/routes/approvals'
import { builtinCatalog } from '../../../server/approvals/builtinSetup'
import type { ApprovalSetup, DeviceRecord } from '../../../server/approvals/ports'
import { ApiClient, USER_PASSWORD, adminClient } from '../../utils/relay'
import type { TestRelay } from '../../utils/relay'
import { connect, synced, waitFor } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'

/** Device keys, delegations and 机关代字 held in memory (what server/approvalSetup stores). */
export class MemorySetup implements ApprovalSetup {
  readonly deviceRows = new Map<string, DeviceRecord>()
  readonly delegationRows: Delegation[] = []
  readonly codes = new Map<string, string>()
  /** Unit → parent, so a unit without a 机关代字 uses its nearest ancestor's (as set-up does). */
  readonly parents = new Map<string, string>()
  readonly devices = { device: async (id: string) => this.deviceRows.get(id) ?? null }
  readonly delegations = {
    givenTo: async (deputyId: string) => this.delegationRows.filter((d) => d.to === deputyId),
  }
  readonly catalog = builtinCatalog
  readonly agencyCodes = {
    agencyCodeOf: async (unitId: string): Promise<string | null> => {
      for (
        let unit: string | undefined = unitId;
        unit !== undefined;
        unit = this.parents.get(unit)
      ) {
        const code = this.codes.get(unit)
        if (code !== undefined) {
          return code
        }
      }
      return null
    },
  }

  /** Registers a new device key for a user. */
  register(userId: string): { deviceId: string; keys: Sm2KeyPair } {
    const keys = generateSm2KeyPair()
    const deviceId = `dev-${randomBytes(6).toString('hex')}`
    this.deviceRows.set(deviceId, {
      id: deviceId,
      userId,
      label: 'test',
      publicKey: keys.publicKey,
      createdAt: Date.now(),
      revokedAt: null,
    })
    return { deviceId, keys }
  }

  revoke(deviceId: string): void {
    const row = this.deviceRows.get(deviceId)
    if (row !== undefined) {
      this.deviceRows.set(deviceId, { ...row, revokedAt: Date.now() - 1 })
    }
  }
}

/** A signed-in person with a registered device. */
export interface Person {
  readonly api: ApiClient
  readonly userId: string
  readonly token: string
  readonly name: string
  deviceId: string
  keys: Sm2KeyPair
}

/** The office: 山东省人民政府办公厅 with 秘书一处, 法规处, 财务处. */
export interface Office {
  readonly admin: ApiClient
  readonly units: { office: string; sec: string; legal: string; finance: string }
  readonly drafter: Person
  /** 科室负责人 of 秘书一处. */
  readonly head: Person
  /** 科室负责人 of 法规处 and 财务处 (会签). */
  readonly legalHead: Person
  readonly financeHead: Person
  /** 分管领导 and 主要领导 of the office. */
  readonly vice: Person
  readonly chief: Person
  /** 文书 (registrar role) of the office. */
  readonly registrar: Person
  /** The chief's secretary (代签 with a delegation). */
  readonly secretary: Person
  /** Two 或签 reviewers. */
  readonly anyA: Person
  readonly anyB: Person
  readonly outsider: Person
}

let counter = 0

/** Builds the office on a relay; `tag` keeps usernames and unit codes unique per test file. */
export async function buildOffice(
  relay: TestRelay,
  setup: MemorySetup,
  tag: string,
): Promise<Office> {
  const admin = await adminClient(relay)
  const unit = async (parentId: string | null, name: string): Promise<string> => {
    counter += 1
    const { status, body } = await admin.request<{ id: string }>('POST', '/admin/units', {
      parentId,
      kind: parentId === null ? 'province' : 'department',
      name,
      code: `${tag}${counter}`,
    })
    expect(status, JSON.stringify(body)).toBe(201)
    if (parentId !== null) {
      setup.parents.set(body.id, parentId)
    }
    return body.id
  }
  const office = await unit(null, '山东省人民政府办公厅')
  const sec = await unit(office, '秘书一处')
  const legal = await unit(office, '法规处')
  const finance = await unit(office, '财务处')
  setup.codes.set(office, '鲁政办发')
  const person = async (
    username: string,
    name: string,
    unitId: string,
    post: string | null,
    roles: string[] = [],
  ): Promise<Person> => {
    const { status, body } = await admin.request('POST', '/admin/users', {
      username: `${tag}_${username}`,
      displayName: name,
      password: USER_PASSWORD,
      unitId,
      roles,
      posts: post === null ? [] : [{ unitId, title: post }],
    })
    expect(status, JSON.stringify(body)).toBe(201)
    const login = await new ApiClient(admin.baseUrl).login(`${tag}_${username}`, USER_PASSWORD)
    return { ...login, name, ...setup.register(login.userId) }
  }
  return {
    admin,
    units: { office, sec, legal, finance },
    drafter: await person('drafter', '李明', sec, null, ['drafter']),
    head: await person('head', '王处长', sec, '科室负责人'),
    legalHead: await person('legal', '赵处长', legal, '科室负责人'),
    financeHead: await person('finance', '钱处长', finance, '科室负责人'),
    vice: await person('vice', '孙副主任', office, '分管领导'),
    chief: await person('chief', '周主任', office, '主要领导'),
    registrar: await person('registrar', '吴文书', office, null, ['registrar']),
    secretary: await person('secretary', '郑秘书', office, null),
    anyA: await person('anya', '甲审核', sec, null),
    anyB: await person('anyb', '乙审核', sec, null),
    outsider: await person('outsider', '外人', finance, null),
  }
}

/** A fresh nonce. */
export function nonce(): string {
  return randomBytes(12).toString('base64url')
}

/** @returns the action signed by `who`'s device. */
export function sign(
  who: Pick<Person, 'deviceId' | 'keys'>,
  action: ApprovalAction,
): { action: ApprovalAction; deviceId: string; signature: string } {
  const signature = sm2Sign(actionSigningBytes(action), who.keys.privateKey, who.keys.publicKey)
  return { action, deviceId: who.deviceId, signature }
}

/** What `act` sends besides the approval and stage. */
export type ActionFields = Partial<Omit<ApprovalAction, 'approvalId' | 'stageId' | 'type'>> & {
  readonly target?: unknown
}

/** Builds an action of `type` at `stageId` (now, fresh nonce). */
export function actionOf(
  approvalId: string,
  type: ApprovalAction['type'],
  stageId: string,
  fields: ActionFields = {},
): ApprovalAction {
  return {
    approvalId,
    type,
    stageId,
    nonce: nonce(),
    createdAt: new Date().toISOString(),
    ...fields,
  } as ApprovalAction
}

/** Posts a signed action. @returns status and body */
export async function act(
  who: Person,
  action: ApprovalAction,
): Promise<{
  status: number
  body: { outcome?: string; approval?: ApprovalView; error?: { code: string; message: string } }
}> {
  return who.api.request('POST', `/approvals/${action.approvalId}/actions`, sign(who, action))
}

/** Posts a signed action and expects it applied. @returns the view */
export async function must(who: Person, action: ApprovalAction): Promise<ApprovalView> {
  const { status, body } = await act(who, action)
  expect(status, `${who.name} ${action.type}: ${JSON.stringify(body)}`).toBe(200)
  expect(body.outcome).toBe('applied')
  return body.approval as ApprovalView
}

/** @returns the document's current digest as a member sees it. */
export async function digestOf(who: Person, documentId: string): Promise<string> {
  const { status, body } = await who.api.request<{ digest: string }>(
    'GET',
    `/documents/${documentId}/digest`,
  )
  expect(status).toBe(200)
  return body.digest
}

/** Connects to a document room and waits for sync. */
export async function openDocument(
  relay: TestRelay,
  who: Person,
  documentId: string,
): Promise<Client> {
  const client = connect(relay.wsUrl, `doc:${documentId}`, who.token)
  await synced(client)
  return client
}

/** Replaces the body with paragraphs of text. */
export function writeBody(client: Client, paragraphs: readonly string[]): void {
  const body = client.doc.getXmlFragment('body')
  client.doc.transact(() => {
    body.delete(0, body.length)
    body.insert(
      0,
      paragraphs.map((text) => {
        const paragraph = new Y.XmlElement('paragraph')
        paragraph.insert(0, [new Y.XmlText(text)])
        return paragraph
      }),
    )
  })
}

/** Waits until the relay's digest of the document is `expected`. */
export async function digestBecomes(
  who: Person,
  documentId: string,
  expected: (digest: string) => boolean,
): Promise<string> {
  let last = ''
  const deadline = Date.now() + 5000
  while (Date.now() < deadline) {
    last = await digestOf(who, documentId)
    if (expected(last)) {
      return last
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`digest did not change as expected (last ${last})`)
}

/** @returns the view as `who` reads it. */
export async function viewAs(who: Person, approvalId: string): Promise<ApprovalView> {
  const { status, body } = await who.api.request<ApprovalView>('GET', `/approvals/${approvalId}`)
  expect(status, JSON.stringify(body)).toBe(200)
  return body
}

export { waitFor }
