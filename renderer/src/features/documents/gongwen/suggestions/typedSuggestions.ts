/**
 * 修订 by typing: what a reviewer types or deletes in the body becomes suggestions, as in Word's
 * 修订 and Google Docs' suggesting mode, while the body itself stays as it is.
 *
 * - Text typed at the caret is a suggested insertion there; typing on (at the same place) extends
 *   the same suggestion instead of making one per keystroke, and Backspace right after it erases
 *   its last character (the suggestion is taken back once empty).
 * - Text typed over a selection suggests replacing it: its last run becomes a replacement and the
 *   runs before it deletions; the caret goes to its end, where typing on extends the replacement.
 * - Backspace / Delete suggest deleting the character before / after the caret; pressed again they
 *   extend the same deletion, and they step over text already suggested for deletion.
 *
 * Every operation returns where the caret goes next (null: nothing to suggest there).
 *
 * @example
 *   const typing = createTypedSuggestions({ doc, user, mapper })
 *   const caret = typing.insert(view.state.doc, from, to, '请')
 */
import type * as Y from 'yjs'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import type { PositionMapper } from '../anchors/positions'
import { isTextPosition, textRuns } from '../anchors/textRuns'
import type { TextRun } from '../anchors/textRuns'
import type { Author } from '../comments/threads'
import { MAX_QUOTE_LENGTH } from '../../../../../../shared/gongwen/annotations'
import {
  addSuggestion,
  readSuggestions,
  reviseSuggestion,
  withdrawSuggestion,
} from './suggestionModel'
import type { Suggestion } from './suggestionModel'

/** What the typing needs of the open document. */
export interface TypingContext {
  readonly doc: Y.Doc
  readonly user: Author
  /** A mapper over the body as it is now. */
  mapper(): PositionMapper
}

/** The typing operations; each returns the caret's next position, or null when nothing was made. */
export interface TypedSuggestions {
  /** Typed or pasted `text` over `from`–`to` (equal: at the caret). */
  insert(pm: ProseMirrorNode, from: number, to: number, text: string): number | null
  /** Backspace at a collapsed caret. */
  deleteBackward(pm: ProseMirrorNode, at: number): number | null
  /** Delete at a collapsed caret. */
  deleteForward(pm: ProseMirrorNode, at: number): number | null
  /** Backspace, Delete or cut over a selection. */
  deleteRange(pm: ProseMirrorNode, from: number, to: number): number | null
}

/** An open suggestion with its range in the body now. */
interface Placed {
  readonly suggestion: Suggestion
  readonly from: number
  readonly to: number
}

/** Line breaks of pasted text: the suggestion is one run of text in one paragraph. */
const LINE_BREAKS = /[ \t]*(?:\r\n|\r|\n)[ \t]*/g

/** @returns the length of the character before `pos` in a text (2 for a surrogate pair). */
function charLengthBefore(text: string, offset: number): number {
  const low = text.charCodeAt(offset - 1)
  const high = text.charCodeAt(offset - 2)
  return low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff ? 2 : 1
}

/** @returns the length of the character at `offset` (2 for a surrogate pair). */
function charLengthAt(text: string, offset: number): number {
  const high = text.charCodeAt(offset)
  const low = text.charCodeAt(offset + 1)
  return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff ? 2 : 1
}

/** @returns the text of the textblock around `pos` and `pos`'s offset in it, if `pos` is in one */
function blockText(pm: ProseMirrorNode, pos: number): { text: string; offset: number } | null {
  if (!isTextPosition(pm, pos)) {
    return null
  }
  const $pos = pm.resolve(pos)
  // Inline leaves (line breaks) count as one position: keep offsets aligned with a placeholder.
  const text = $pos.parent.textBetween(0, $pos.parent.content.size, undefined, '\ufffc')
  return { text, offset: $pos.parentOffset }
}

/** @returns the parts of `runs` that no range of `covered` overlaps */
function uncovered(runs: readonly TextRun[], covered: readonly Placed[]): TextRun[] {
  let pieces = [...runs]
  for (const range of covered) {
    pieces = pieces.flatMap((run) => {
      if (range.to <= run.from || range.from >= run.to) {
        return [run]
      }
      const rest: TextRun[] = []
      if (range.from > run.from) {
        rest.push({
          from: run.from,
          to: range.from,
          text: run.text.slice(0, range.from - run.from),
        })
      }
      if (range.to < run.to) {
        rest.push({ from: range.to, to: run.to, text: run.text.slice(range.to - run.from) })
      }
      return rest
    })
  }
  return pieces
}

/** @returns `runs` cut into pieces the relay takes as one suggestion's quote */
function quotable(runs: readonly TextRun[]): TextRun[] {
  return runs.flatMap((run) => {
    const pieces: TextRun[] = []
    for (let start = 0; start < run.text.length;) {
      let end = Math.min(run.text.length, start + MAX_QUOTE_LENGTH)
      // Never between the halves of a surrogate pair.
      if (end < run.text.length && charLengthBefore(run.text, end + 1) === 2) {
        end--
      }
      pieces.push({ from: run.from + start, to: run.from + end, text: run.text.slice(start, end) })
      start = end
    }
    return pieces
  })
}

/** Creates the typing operations over a document for its user. */
export function createTypedSuggestions(context: TypingContext): TypedSuggestions {
  const { doc, user } = context
  /** The suggestion typed into last: preferred when several of the user's meet at the caret. */
  let lastId: string | null = null

  /** Open suggestions placed in the body now (only the user's own, unless `everyone`). */
  function placed(mapper: PositionMapper, everyone = false): Placed[] {
    const result: Placed[] = []
    for (const suggestion of readSuggestions(doc)) {
      if (suggestion.status !== 'open' || (!everyone && suggestion.authorId !== user.id)) {
        continue
      }
      if (suggestion.from === null || suggestion.to === null) {
        continue
      }
      const from = mapper.toAbsolute(suggestion.from)
      const to = mapper.toAbsolute(suggestion.to)
      if (from !== null && to !== null) {
        result.push({ suggestion, from, to: Math.max(from, to) })
      }
    }
    return result
  }

  /** The last typed of `candidates`, else the newest. */
  function preferred(candidates: readonly Placed[]): Placed | null {
    return (
      candidates.find((c) => c.suggestion.id === lastId) ??
      [...candidates].sort((a, b) => b.suggestion.createdAt - a.suggestion.createdAt)[0] ??
      null
    )
  }

  /** Open deletions and replacements of anyone: text already proposed for deletion. */
  const struck = (all: readonly Placed[]): Placed[] =>
    all.filter((p) => p.suggestion.kind !== 'insert' && p.to > p.from)

  /** Records deletions of `runs`. */
  function deleteRuns(mapper: PositionMapper, runs: readonly TextRun[]): number {
    let count = 0
    doc.transact(() => {
      for (const run of quotable(runs)) {
        const from = mapper.toStored(run.from, 0)
        const to = mapper.toStored(run.to, -1)
        if (from !== null && to !== null) {
          lastId = addSuggestion(doc, {
            kind: 'delete',
            from,
            to,
            text: '',
            quote: run.text,
            author: user,
          })
          count++
        }
      }
    })
    return count
  }

  function insertAt(pm: ProseMirrorNode, at: number, text: string): number | null {
    if (!isTextPosition(pm, at)) {
      return null
    }
    const mapper = context.mapper()
    const own = preferred(
      placed(mapper).filter((p) => p.suggestion.kind !== 'delete' && p.to === at),
    )
    if (
      own !== null &&
      reviseSuggestion(doc, own.suggestion.id, user.id, { text: own.suggestion.text + text })
    ) {
      lastId = own.suggestion.id
      return at
    }
    const anchor = mapper.toStored(at, -1)
    if (anchor === null) {
      return null
    }
    lastId = addSuggestion(doc, {
      kind: 'insert',
      from: anchor,
      to: anchor,
      text,
      quote: '',
      author: user,
    })
    return at
  }

  function replaceRange(
    pm: ProseMirrorNode,
    from: number,
    to: number,
    text: string,
  ): number | null {
    const mapper = context.mapper()
    const runs = uncovered(textRuns(pm, from, to), struck(placed(mapper)))
    const last = runs.at(-1)
    if (last === undefined) {
      // Nothing left to replace (all of it is proposed for deletion already): insert after it.
      return insertAt(pm, to, text)
    }
    const lastFrom = mapper.toStored(last.from, 0)
    const lastTo = mapper.toStored(last.to, -1)
    if (lastFrom === null || lastTo === null) {
      return null
    }
    doc.transact(() => {
      deleteRuns(mapper, runs.slice(0, -1))
      lastId = addSuggestion(doc, {
        kind: 'replace',
        from: lastFrom,
        to: lastTo,
        text,
        quote: last.text,
        author: user,
      })
    })
    return last.to
  }

  return {
    insert(pm, from, to, typed) {
      const text = typed.replace(LINE_BREAKS, '')
      if (text === '') {
        return null
      }
      return from === to ? insertAt(pm, from, text) : replaceRange(pm, from, to, text)
    },

    deleteBackward(pm, at) {
      const mapper = context.mapper()
      const mine = placed(mapper)
      // Right after one's own typed text: erase its last character.
      const typed = preferred(
        mine.filter(
          (p) => p.suggestion.kind !== 'delete' && p.to === at && p.suggestion.text !== '',
        ),
      )
      if (typed !== null) {
        const { id, kind, text } = typed.suggestion
        const rest = text.slice(0, text.length - charLengthBefore(text, text.length))
        if (rest === '' && kind === 'insert') {
          withdrawSuggestion(doc, id, user.id)
          lastId = null
        } else {
          reviseSuggestion(
            doc,
            id,
            user.id,
            rest === '' ? { kind: 'delete', text: '' } : { text: rest },
          )
          lastId = id
        }
        return at
      }
      const all = struck(placed(mapper, true))
      let pos = at
      // Step over text already proposed for deletion.
      for (
        let hop = all.find((p) => p.from < pos && p.to >= pos);
        hop !== undefined;
        hop = all.find((p) => p.from < pos && p.to >= pos)
      ) {
        pos = hop.from
      }
      const block = blockText(pm, pos)
      if (block === null || block.offset === 0 || block.text[block.offset - 1] === '\ufffc') {
        return pos === at ? null : pos
      }
      const length = charLengthBefore(block.text, block.offset)
      const char = block.text.slice(block.offset - length, block.offset)
      const start = pos - length
      const extend = preferred(
        mine.filter(
          (p) =>
            p.suggestion.kind === 'delete' &&
            p.from === pos &&
            p.suggestion.quote.length + length <= MAX_QUOTE_LENGTH,
        ),
      )
      const from = mapper.toStored(start, 0)
      if (from === null) {
        return null
      }
      if (extend !== null) {
        reviseSuggestion(doc, extend.suggestion.id, user.id, {
          from,
          quote: char + extend.suggestion.quote,
        })
        lastId = extend.suggestion.id
        return start
      }
      return deleteRuns(mapper, [{ from: start, to: pos, text: char }]) > 0 ? start : null
    },

    deleteForward(pm, at) {
      const mapper = context.mapper()
      const mine = placed(mapper)
      const all = struck(placed(mapper, true))
      let pos = at
      for (
        let hop = all.find((p) => p.from <= pos && p.to > pos);
        hop !== undefined;
        hop = all.find((p) => p.from <= pos && p.to > pos)
      ) {
        pos = hop.to
      }
      const block = blockText(pm, pos)
      if (
        block === null ||
        block.offset >= block.text.length ||
        block.text[block.offset] === '\ufffc'
      ) {
        return pos === at ? null : pos
      }
      const length = charLengthAt(block.text, block.offset)
      const char = block.text.slice(block.offset, block.offset + length)
      const end = pos + length
      const extend = preferred(
        mine.filter(
          (p) =>
            p.suggestion.kind === 'delete' &&
            p.to === pos &&
            p.suggestion.quote.length + length <= MAX_QUOTE_LENGTH,
        ),
      )
      const to = mapper.toStored(end, -1)
      if (to === null) {
        return null
      }
      if (extend !== null) {
        reviseSuggestion(doc, extend.suggestion.id, user.id, {
          to,
          quote: extend.suggestion.quote + char,
        })
        lastId = extend.suggestion.id
        return end
      }
      return deleteRuns(mapper, [{ from: pos, to: end, text: char }]) > 0 ? end : null
    },

    deleteRange(pm, from, to) {
      const mapper = context.mapper()
      const runs = uncovered(textRuns(pm, from, to), struck(placed(mapper)))
      deleteRuns(mapper, runs)
      return from
    },
  }
}
