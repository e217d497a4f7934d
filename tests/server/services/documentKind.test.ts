import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { adminClient, createTestDatabase, startTestRelay } from '../../utils/relay'
import type { ApiClient, TestDatabase, TestRelay } from '../../utils/relay'
import { connect, synced } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'
import type { DocumentSummary } from '../../../shared/api'
import { templateFor } from '../../../shared/gongwen/templates'
import { readBodyBlocks } from '../../../shared/gongwen/yBody'
import { readMeta } from '../../../shared/gongwen/meta'
import { checkDocument } from '../../../shared/gongwen/checker'

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`creating a 公文 from its template (${dialect})`, () => {
    let relay: TestRelay
    let database: TestDatabase | null = null
    let drafter: { api: ApiClient; userId: string; token: string }
    const clients: Client[] = []

    beforeAll(async () => {
      database = dialect === 'postgres' ? await createTestDatabase() : null
      relay = await startTestRelay({ databaseUrl: database?.url ?? null })
      drafter = await (await adminClient(relay)).createUser('drafter', '王芳')
    })

    afterAll(async () => {
      for (const client of clients) {
        client.destroy()
      }
      await relay.close()
      await database?.drop()
    })

    async function open(id: string): Promise<Client> {
      const client = connect(relay.wsUrl, `doc:${id}`, drafter.token)
      clients.push(client)
      await synced(client)
      return client
    }

    test('a 通知 starts with its template: meta and body, and the 文种 is stored', async () => {
      const title = '山东省人民政府关于做好防汛工作的通知'
      const created = await drafter.api.request<DocumentSummary>('POST', '/documents', {
        title,
        docType: 'notice',
      })
      expect(created.status).toBe(201)
      expect(created.body.docType).toBe('notice')

      const client = await open(created.body.id)
      const meta = readMeta(client.doc.getMap('meta').toJSON())
      expect(meta.docType).toBe('notice')
      expect(meta.title).toBe(title)
      expect(meta.classification).toBe('none')
      const blocks = readBodyBlocks(client.doc.getXmlFragment('body'))
      expect(blocks.map((b) => b.text)).toEqual(templateFor('notice').blocks.map((b) => b.text))
      expect(blocks.find((b) => b.type === 'heading')).toMatchObject({ level: 1, text: '一、××××' })
      // The template is GB/T 9704-clean as created.
      expect(checkDocument(meta, blocks).filter((v) => v.severity === 'error')).toEqual([])

      const list = await drafter.api.request<{ documents: DocumentSummary[] }>('GET', '/documents')
      expect(list.body.documents.find((d) => d.id === created.body.id)?.docType).toBe('notice')
      const one = await drafter.api.request<DocumentSummary>('GET', `/documents/${created.body.id}`)
      expect(one.body.docType).toBe('notice')
    })

    test('a second opener gets the same content, not a second copy of the template', async () => {
      const { body } = await drafter.api.request<DocumentSummary>('POST', '/documents', {
        title: '关于召开防汛工作会议的纪要',
        docType: 'minutes',
      })
      const first = await open(body.id)
      const second = await open(body.id)
      const expected = templateFor('minutes').blocks.length
      expect(readBodyBlocks(first.doc.getXmlFragment('body')).length).toBe(expected)
      expect(readBodyBlocks(second.doc.getXmlFragment('body')).length).toBe(expected)
    })

    test('without a 文种 a document starts empty; an unknown 文种 is refused', async () => {
      const plain = await drafter.api.request<DocumentSummary>('POST', '/documents', {
        title: '工作笔记',
      })
      expect(plain.status).toBe(201)
      expect(plain.body.docType).toBeNull()
      const client = await open(plain.body.id)
      expect(client.doc.getXmlFragment('body').length).toBe(0)
      expect(client.doc.getMap('meta').size).toBe(0)

      const bad = await drafter.api.request<{ error: { code: string; message: string } }>(
        'POST',
        '/documents',
        { title: '备忘', docType: 'memo' },
      )
      expect(bad.status).toBe(400)
      expect(bad.body.error.message).toContain('文种')
    })
  })
}
