/**
 * The caret plugin hears colleagues' presence changes but not this device's own caret moves
 * (remoteCaretAwareness), on a real TipTap editor with the Collaboration and CollaborationCaret
 * extensions and two real Awareness instances exchanging their updates.
 */
import { afterEach, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { Editor } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import CollaborationCaret from '@tiptap/extension-collaboration-caret'
import { yCursorPluginKey } from '@tiptap/y-tiptap'
import * as awarenessProtocol from 'y-protocols/awareness'
import { gongwenSchemaExtensions } from '../../../renderer/src/features/documents/gongwen/pageview/schemaExtensions'
import {
  involvesOthers,
  remoteCaretAwareness,
} from '../../../renderer/src/editor/remoteCaretAwareness'

const cleanups: (() => void)[] = []

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) {
    cleanup()
  }
})

/** Lets the caret plugin's `setTimeout(0)` queue run. */
function nextTasks(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 20))
}

/** @returns a cursor field at `index` of the body, as the caret plugin writes it */
function cursorAt(doc: Y.Doc, index: number): { anchor: unknown; head: unknown } {
  const at = Y.relativePositionToJSON(
    Y.createRelativePositionFromTypeIndex(doc.getXmlFragment('body'), index),
  )
  return { anchor: at, head: at }
}

function setup(): {
  doc: Y.Doc
  mine: awarenessProtocol.Awareness
  theirs: awarenessProtocol.Awareness
  caretRebuilds: () => number
  label: () => string | null
} {
  const doc = new Y.Doc()
  const theirDoc = new Y.Doc()
  const mine = new awarenessProtocol.Awareness(doc)
  const theirs = new awarenessProtocol.Awareness(theirDoc)
  theirs.on('update', ({ added, updated, removed }: Record<string, number[]>) => {
    const changed = [...(added ?? []), ...(updated ?? []), ...(removed ?? [])]
    awarenessProtocol.applyAwarenessUpdate(
      mine,
      awarenessProtocol.encodeAwarenessUpdate(theirs, changed),
      'relay',
    )
  })
  const editor = new Editor({
    extensions: [
      ...gongwenSchemaExtensions(),
      Collaboration.configure({ document: doc, field: 'body' }),
      CollaborationCaret.configure({
        provider: { awareness: remoteCaretAwareness(mine) },
        user: { name: '王芳', color: '#2471a3' },
      }),
    ],
  })
  editor.commands.insertContent('<p>各县区人民政府</p>')
  let rebuilds = 0
  editor.on('transaction', ({ transaction }) => {
    if (transaction.getMeta(yCursorPluginKey)?.awarenessUpdated === true) {
      rebuilds++
    }
  })
  cleanups.push(() => {
    editor.destroy()
    mine.destroy()
    theirs.destroy()
  })
  const label = (): string | null =>
    editor.view.dom.querySelector('.collaboration-carets__label')?.textContent ?? null
  return { doc, mine, theirs, caretRebuilds: () => rebuilds, label }
}

describe('remoteCaretAwareness', () => {
  test('a move of this device’s own caret queues no caret rebuild', async () => {
    const { doc, mine, caretRebuilds } = setup()
    await nextTasks()
    const before = caretRebuilds()
    mine.setLocalStateField('cursor', cursorAt(doc, 0))
    mine.setLocalStateField('cursor', cursorAt(doc, 1))
    await nextTasks()
    expect(caretRebuilds()).toBe(before)
  })

  test('a colleague’s caret is rebuilt, and shown, after their presence changes', async () => {
    const { doc, theirs, caretRebuilds, label } = setup()
    await nextTasks()
    const before = caretRebuilds()
    theirs.setLocalStateField('user', { name: '刘洋', color: '#c0392b' })
    theirs.setLocalStateField('cursor', cursorAt(doc, 0))
    await nextTasks()
    expect(caretRebuilds()).toBeGreaterThan(before)
    expect(label()).toBe('刘洋')
  })

  test('other listeners and methods go to the real awareness, and off() removes a listener', () => {
    const doc = new Y.Doc()
    const awareness = new awarenessProtocol.Awareness(doc)
    cleanups.push(() => awareness.destroy())
    const view = remoteCaretAwareness(awareness)
    const heard: string[] = []
    const onChange = (): void => {
      heard.push('change')
    }
    const onUpdate = (): void => {
      heard.push('update')
    }
    view.on('change', onChange)
    view.on('update', onUpdate)
    view.setLocalStateField('cursor', { anchor: 1, head: 1 })
    expect(heard).toEqual(['update'])
    expect(awareness.getLocalState()?.cursor).toEqual({ anchor: 1, head: 1 })
    expect(view.clientID).toBe(awareness.clientID)

    awareness.emit('change', [{ added: [], updated: [awareness.clientID + 1], removed: [] }, 'x'])
    expect(heard).toEqual(['update', 'change'])
    view.off('change', onChange)
    view.off('update', onUpdate)
    awareness.emit('change', [{ added: [], updated: [awareness.clientID + 1], removed: [] }, 'x'])
    view.setLocalStateField('cursor', null)
    expect(heard).toEqual(['update', 'change'])
  })

  test('involvesOthers', () => {
    expect(involvesOthers({ added: [], updated: [7], removed: [] }, 7)).toBe(false)
    expect(involvesOthers({ added: [8], updated: [7], removed: [] }, 7)).toBe(true)
    expect(involvesOthers({ added: [], updated: [], removed: [9] }, 7)).toBe(true)
    expect(involvesOthers({ added: [], updated: [], removed: [] }, 7)).toBe(false)
  })
})
