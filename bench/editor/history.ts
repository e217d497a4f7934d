/**
 * A 公文 body of a given length written as a realistic editing history: words committed by a
 * Chinese input method (1–4 characters per update) at the end of the paragraph being written,
 * backspaces, a phrase selected and deleted now and then, and returns to earlier paragraphs to
 * insert or cut a few words. Every edit is one Y transaction, so one update of the history.
 *
 * The body has the shape the editor writes (y-prosemirror): `paragraph` and `heading` (level 1–2)
 * elements in the Y.XmlFragment `body`, each holding one Y.XmlText. The generator is seeded, so the
 * history is the same on every run.
 */
import * as Y from 'yjs'
import { BODY_ROOT, readBodyBlocks } from '../../shared/gongwen/yBody'

/** What to build. */
export interface HistoryOptions {
  /** Characters of the final body (without block separators). */
  readonly chars: number
  readonly seed: number
}

/** A built history. */
export interface BuiltHistory {
  /** One update per edit, in order. */
  readonly updates: Uint8Array[]
  /** The final body text, blocks joined by '\n'. */
  readonly text: string
  /** Characters of the final body without separators. */
  readonly chars: number
  readonly blocks: number
  readonly headings: number
  /** Edits that deleted text, and the characters they deleted. */
  readonly deletions: number
  readonly deletedChars: number
  /** The whole document as one update (Y.encodeStateAsUpdate). */
  readonly stateBytes: number
}

/** 30,000 characters, fixed seed. */
export const DEFAULT_HISTORY: HistoryOptions = { chars: 30_000, seed: 20_261_123 }

const PHRASES = [
  '为深入贯彻落实党中央、国务院决策部署',
  '进一步加强和改进全省政务服务工作',
  '经省政府同意',
  '现就有关事项通知如下',
  '各级各部门要提高政治站位',
  '切实增强责任感和紧迫感',
  '坚持以人民为中心的发展思想',
  '持续优化营商环境',
  '加快推进数字政府建设',
  '推动政务服务事项网上可办',
  '建立健全工作协调机制',
  '明确责任分工和完成时限',
  '加强督促检查和考核评估',
  '对工作推进不力的单位予以通报',
  '确保各项任务落地见效',
  '各市人民政府要结合本地实际',
  '制定具体实施方案',
  '于每季度末将工作进展情况报送省政府办公厅',
  '本通知自印发之日起施行',
  '统筹发展和安全',
  '着力解决群众急难愁盼问题',
  '强化数据共享和业务协同',
  '规范行政审批中介服务',
  '压减办理时限和申请材料',
]
const HEADINGS = [
  '总体要求',
  '重点任务',
  '保障措施',
  '组织实施',
  '工作目标',
  '基本原则',
  '职责分工',
  '监督考核',
]
const NUMERALS = '一二三四五六七八九十'
const PUNCTUATION = ['，', '，', '，', '；', '。', '。', '、']

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** Writes the body edit by edit and returns the history. */
export function buildHistory(options: HistoryOptions = DEFAULT_HISTORY): BuiltHistory {
  const rand = random(options.seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] ?? items[0]!
  const between = (min: number, max: number): number => min + Math.floor(rand() * (max - min + 1))

  const doc = new Y.Doc({ gc: false })
  doc.clientID = 1_234_567_891
  const body = doc.getXmlFragment(BODY_ROOT)
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))

  const texts: Y.XmlText[] = []
  let total = 0
  let headings = 0
  let deletions = 0
  let deletedChars = 0
  // The words still to type in the current sentence, and the paragraph's target length.
  let pending = ''
  let paragraphTarget = 0

  const newBlock = (heading: string | null): Y.XmlText => {
    const element = new Y.XmlElement(heading === null ? 'paragraph' : 'heading')
    const text = new Y.XmlText()
    doc.transact(() => {
      if (heading !== null) {
        // y-prosemirror keeps node attributes as they are; the editor's heading level is a number.
        const attributes: Y.XmlElement<Record<string, string | number>> = element
        attributes.setAttribute('level', 1)
      }
      element.insert(0, [text])
      body.insert(body.length, [element])
    })
    texts.push(text)
    return text
  }
  const insert = (text: Y.XmlText, index: number, content: string): void => {
    text.insert(index, content)
    total += content.length
  }
  const remove = (text: Y.XmlText, index: number, length: number): void => {
    if (length <= 0) {
      return
    }
    text.delete(index, length)
    total -= length
    deletions++
    deletedChars += length
  }

  let current = newBlock(null)
  paragraphTarget = between(120, 360)
  while (total < options.chars) {
    const roll = rand()
    const room = options.chars - total
    if (roll < 0.06 && current.length > 0) {
      // Backspace over the last few characters (a wrong word from the input method).
      const length = Math.min(current.length, between(1, 4))
      remove(current, current.length - length, length)
    } else if (roll < 0.075 && current.length > 20) {
      // Select a phrase in the current paragraph and delete it.
      const length = between(4, 16)
      remove(current, between(0, current.length - length), length)
    } else if (roll < 0.1 && texts.length > 3) {
      // Go back to an earlier paragraph: insert a few words or cut a few characters.
      const earlier = pick(texts.slice(0, -1))
      if (rand() < 0.65 || earlier.length < 10) {
        insert(earlier, between(0, earlier.length), pick(PHRASES).slice(0, Math.min(room, 8)))
      } else {
        remove(earlier, between(0, earlier.length - 6), between(2, 6))
      }
    } else if (current.length >= paragraphTarget && pending === '') {
      // Enter: a new paragraph, now and then a heading first.
      if (rand() < 0.12 && room > 12) {
        const title = `${NUMERALS[headings % NUMERALS.length]}、${pick(HEADINGS)}`
        headings++
        const heading = newBlock(title)
        for (let i = 0; i < title.length; i += 2) {
          insert(heading, i, title.slice(i, i + 2))
        }
      }
      current = newBlock(null)
      paragraphTarget = between(120, 360)
    } else {
      if (pending === '') {
        pending = pick(PHRASES) + pick(PUNCTUATION)
      }
      // One commit of the input method: a word of 1–4 characters.
      const word = pending.slice(0, Math.min(between(1, 4), room))
      pending = pending.slice(word.length)
      insert(current, current.length, word)
    }
  }
  const blocks = readBodyBlocks(body)
  const text = blocks.map((block) => block.text).join('\n')
  const chars = blocks.reduce((sum, block) => sum + block.text.length, 0)
  if (chars !== total || chars !== options.chars) {
    throw new Error(`history: built ${chars} characters, expected ${options.chars}`)
  }
  const stateBytes = Y.encodeStateAsUpdate(doc).length
  doc.destroy()
  return {
    updates,
    text,
    chars,
    blocks: blocks.length,
    headings,
    deletions,
    deletedChars,
    stateBytes,
  }
}
