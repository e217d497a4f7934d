/**
 * Remote editors for the typing benchmark: stock y-websocket clients in Node (as bench/fanout.ts
 * uses), each typing into a paragraph of its own: one character every ~100 ms (jittered), with its
 * caret published in the awareness format TipTap's CollaborationCaret (y-prosemirror) draws.
 */
import * as Y from 'yjs'
import { BODY_ROOT } from '../../shared/gongwen/yBody'
import { connect, waitFor } from '../../tests/utils/yclient'
import type { Client } from '../../tests/utils/yclient'

/** One remote editor's account and where it types. */
export interface RemoteEditor {
  readonly token: string
  readonly name: string
  /** Index of the body block it types into. */
  readonly block: number
}

const TYPED = '推进政务服务标准化规范化便利化'
const COLORS = ['#2471a3', '#1e8449', '#b9770e', '#7d3c98', '#117a65']

/** The remote editors of one document. */
export class RemoteTypists {
  private readonly clients: Client[] = []
  private timers: ReturnType<typeof setTimeout>[] = []
  private sent = 0

  constructor(
    private readonly wsUrl: string,
    private readonly room: string,
    private readonly editors: readonly RemoteEditor[],
  ) {}

  /** Characters inserted since the typists were created. */
  get inserted(): number {
    return this.sent
  }

  /** Connects every editor and waits until each has synced. */
  async connect(): Promise<void> {
    if (this.clients.length === 0) {
      for (const editor of this.editors) {
        this.clients.push(connect(this.wsUrl, this.room, editor.token))
      }
    } else {
      for (const client of this.clients) {
        client.provider.connect()
      }
    }
    await waitFor(
      () => this.clients.every((c) => c.provider.synced),
      'remote editors to sync',
      30_000,
    )
  }

  /** Starts typing: each editor inserts one character every `intervalMs` ± 30 %. */
  start(intervalMs: number): void {
    this.stop()
    this.clients.forEach((client, i) => {
      const editor = this.editors[i]
      if (editor === undefined) {
        return
      }
      const text = blockText(client.doc, editor.block)
      // Type in the middle of the paragraph, as someone revising it.
      let at = Math.floor(text.length / 2)
      const user = { name: editor.name, color: COLORS[i % COLORS.length] }
      client.provider.awareness.setLocalState({ user })
      const tick = (): void => {
        text.insert(at, TYPED[this.sent % TYPED.length] ?? '文')
        at++
        this.sent++
        const cursor = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, at))
        client.provider.awareness.setLocalState({ user, cursor: { anchor: cursor, head: cursor } })
        this.timers[i] = setTimeout(tick, intervalMs * (0.7 + Math.random() * 0.6))
      }
      this.timers[i] = setTimeout(tick, Math.random() * intervalMs)
    })
  }

  /** Stops typing. */
  stop(): void {
    for (const timer of this.timers) {
      clearTimeout(timer)
    }
    this.timers = []
  }

  /** Stops typing and disconnects every editor (their carets disappear from the page). */
  disconnect(): void {
    this.stop()
    for (const client of this.clients) {
      client.provider.disconnect()
    }
  }

  /** @returns the length of a block's text in the first editor's copy of the document */
  blockLength(block: number): number {
    const client = this.clients[0]
    return client === undefined ? -1 : blockText(client.doc, block).length
  }

  /** Closes every editor for good. */
  destroy(): void {
    this.stop()
    for (const client of this.clients.splice(0)) {
      client.destroy()
    }
  }
}

/** @returns the Y.XmlText of a body block */
function blockText(doc: Y.Doc, block: number): Y.XmlText {
  const element = doc.getXmlFragment(BODY_ROOT).get(block)
  const text = element instanceof Y.XmlElement ? element.get(0) : null
  if (!(text instanceof Y.XmlText)) {
    throw new Error(`block ${block} holds no text`)
  }
  return text
}
