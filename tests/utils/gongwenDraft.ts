/**
 * Drafts 公文 into a document's room for end-to-end tests, as a drafter's client would (through a
 * real socket to the relay), and fills the meta keys only the approval flow writes (编号, 分发) from
 * the server side, as the flow does.
 */
import * as Y from 'yjs'
import { templateFor } from '../../shared/gongwen/templates'
import { seedFromTemplate } from '../../shared/gongwen/yBody'
import type { E2EApp, E2EUser } from './e2eApp'
import { connect, synced } from './yclient'

/**
 * Sets meta keys of a document's room from the server, once the relay holds the drafter's seed
 * (whose one transaction sets those keys' empty defaults and the body).
 */
export async function fillAsFlow(
  app: E2EApp,
  documentId: string,
  values: Readonly<Record<string, unknown>>,
): Promise<void> {
  const room = `doc:${documentId}`
  const deadline = Date.now() + 10_000
  while (
    (await app.relay.relay.rooms.read(room, (doc) => doc.getXmlFragment('body').length)) === 0
  ) {
    if (Date.now() > deadline) {
      throw new Error(`the drafter's seed of ${room} did not reach the relay`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  await app.relay.relay.rooms.apply(room, (doc) => {
    const meta = doc.getMap<unknown>('meta')
    doc.transact(() => {
      for (const [key, value] of Object.entries(values)) {
        meta.set(key, value)
      }
    })
  })
}

/** What draftNotice writes. */
export interface NoticeDraft {
  readonly title: string
  readonly documentNumber: string
  readonly paragraphs: readonly string[]
  readonly writtenDate?: string
  readonly printDate?: string
  readonly ccRecipients?: string
}

/**
 * Writes a 通知 of 山东省人民政府办公厅 (masthead, 主送, 附件说明, signature and 版记) with the given
 * paragraphs into the room, then its 发文字号 and 印发日期 as the flow would.
 */
export async function draftNotice(
  app: E2EApp,
  user: E2EUser,
  documentId: string,
  draft: NoticeDraft,
): Promise<void> {
  const client = connect(app.relay.wsUrl, `doc:${documentId}`, user.token)
  await synced(client)
  const template = templateFor('notice', {
    issuingAuthority: '山东省人民政府办公厅',
    title: draft.title,
  })
  seedFromTemplate(client.doc, {
    meta: {
      ...template.meta,
      mainRecipients: '各市人民政府',
      attachments: ['值班表'],
      writtenDate: draft.writtenDate ?? '2024年1月25日',
      ccRecipients: draft.ccRecipients ?? '省委各部门',
    },
    blocks: draft.paragraphs.map((text) => ({ type: 'paragraph' as const, text })),
  })
  await fillAsFlow(app, documentId, {
    documentNumber: draft.documentNumber,
    printDate: draft.printDate ?? '2024年1月26日',
  })
  await new Promise((resolve) => setTimeout(resolve, 500))
  client.destroy()
}

/** @returns the body text of a room as the relay holds it (what is durable on the server). */
export function relayBodyText(app: E2EApp, documentId: string): Promise<string> {
  return app.relay.relay.rooms.read(`doc:${documentId}`, (doc) =>
    doc
      .getXmlFragment('body')
      .toArray()
      .map((node) => (node instanceof Y.XmlElement ? xmlText(node) : ''))
      .join('\n'),
  )
}

function xmlText(element: Y.XmlElement): string {
  return element
    .toArray()
    .map((child) =>
      child instanceof Y.XmlText
        ? child.toString()
        : child instanceof Y.XmlElement
          ? xmlText(child)
          : '',
    )
    .join('')
}
