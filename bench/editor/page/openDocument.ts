/**
 * Opens a document the way DocumentEditorView does, and times it: the summary request and
 * `CollabSession.open` (IndexedDB copy, then the relay) side by side, the 公文 room handle, `createBodyEditor`
 * with the 批注/修订 extensions wired as in the view, handed to the page view, until the editor is
 * editable with every character of the body in its DOM, and the next frame is painted.
 */
import type { Editor } from '@tiptap/vue-3'
import { CollabSession } from '../../../renderer/src/collab/CollabSession'
import { createBodyEditor } from '../../../renderer/src/features/documents/gongwen/pageview/bodyEditor'
import { createGongwenRoom } from '../../../renderer/src/features/documents/gongwen/pageview/gongwenRoom'
import type { GongwenRoom } from '../../../renderer/src/features/documents/gongwen/pageview/gongwenRoom'
import { Annotations } from '../../../renderer/src/features/documents/gongwen/pageview/annotationsExtension'
import { SuggestionInput } from '../../../renderer/src/features/documents/gongwen/suggestions/suggestionInput'
import { readMeta } from '../../../shared/gongwen/meta'
import type { OpenRequest, OpenTiming } from '../protocol'
import type { Shell } from './shell'
import { afterNextPaint } from './frames'

/** The open document of the page. */
export interface OpenDocument {
  readonly session: CollabSession
  readonly room: GongwenRoom
  readonly editor: Editor
}

/** @returns the editor's text: blocks joined by '\n' (as the benchmark builds its expectation) */
export function editorText(editor: Editor): string {
  const texts: string[] = []
  editor.state.doc.forEach((block) => texts.push(block.textContent))
  return texts.join('\n')
}

/** Opens the document into the shell. @returns the open document and its timing */
export async function openDocument(
  shell: Shell,
  request: OpenRequest,
): Promise<{ open: OpenDocument; timing: OpenTiming }> {
  const started = performance.now()
  const at = (): number => performance.now() - started
  let connectedMs = Number.NaN
  let syncedMs = Number.NaN

  // As the view does: the summary (title, role) and the session load side by side.
  const summaryRequest = fetch(`/api/v1/documents/${encodeURIComponent(request.documentId)}`, {
    headers: { authorization: `Bearer ${request.token}` },
  }).then(async (response) => {
    if (!response.ok) {
      throw new Error(`summary: HTTP ${response.status}`)
    }
    return response.json()
  })
  const opening = CollabSession.open({
    documentId: request.documentId,
    userId: request.userId,
    token: request.token,
    serverUrl: request.serverUrl,
    canWrite: true,
    onChange(facts) {
      if (facts.connection === 'connected' && Number.isNaN(connectedMs)) {
        connectedMs = at()
      }
      if (facts.synced && Number.isNaN(syncedMs)) {
        syncedMs = at()
      }
    },
    onTerminalClose(action) {
      throw new Error(`the relay closed the session: ${action}`)
    },
  })
  await summaryRequest
  const session = await opening
  // As the view does: let the socket open (and the relay start on the document) first.
  await session.whenSocketOpen(40)
  const localLoadedMs = at()
  const author = { id: request.userId, name: request.userName }
  const room = createGongwenRoom(session.doc, author)
  const editor = createBodyEditor({
    session,
    user: author,
    editable: true,
    label: '正文',
    focusable: false,
    extensions: [
      Annotations.configure({
        source: () => room.specs(),
        onActivate: (kind, annotationId) => room.activate({ kind, id: annotationId }),
      }),
      SuggestionInput.configure({
        enabled: () => false,
        onInsert: (doc, from, to, text) => room.typing.insert(doc, from, to, text),
        onDelete: (doc, _direction, from, to) => room.typing.deleteRange(doc, from, to),
        onCompose: () => undefined,
        onUnsupported: () => undefined,
      }),
    ],
  })
  room.attach(editor)
  shell.meta.value = readMeta(room.meta.value)
  shell.editor.value = editor
  const editorCreatedMs = at()

  const ready = (): boolean =>
    session.provider.synced &&
    editor.isEditable &&
    editor.view.dom.isConnected &&
    editor.view.dom.getAttribute('contenteditable') === 'true' &&
    (editor.view.dom.textContent ?? '').length === request.expectedChars
  await new Promise<void>((resolve, reject) => {
    const timeout = setTimeout(() => {
      observer.disconnect()
      reject(new Error('the document was not ready within 60 s'))
    }, 60_000)
    const check = (): void => {
      if (ready()) {
        clearTimeout(timeout)
        observer.disconnect()
        resolve()
      }
    }
    // The text arrives in the DOM through the editor's own DOM updates: check on every mutation
    // batch, and on the provider's sync (which may come last).
    const observer = new MutationObserver(check)
    observer.observe(document.body, { subtree: true, childList: true, characterData: true })
    session.provider.on('sync', check)
    check()
  })
  const readyMs = at()
  const paintedMs = (await afterNextPaint()) - started
  const pages = await pageCounts()

  return {
    open: { session, room, editor },
    timing: {
      localLoadedMs,
      editorCreatedMs,
      connectedMs,
      syncedMs,
      readyMs,
      paintedMs,
      textMatches: editorText(editor) === request.expectedText,
      blocks: editor.state.doc.childCount,
      hadLocalCopy: session.hadLocalCopy,
      ...pages,
    },
  }
}

/**
 * The page view's page count as shown (off-screen paragraphs skipped, at their estimated height)
 * and with every paragraph laid out (content-visibility switched off for a moment).
 */
async function pageCounts(): Promise<{ pagesShown: number; pagesLaidOut: number }> {
  const sheet = document.querySelector<HTMLElement>('[data-testid="gongwen-page"]')
  const read = (): number => Number(sheet?.dataset.pages ?? Number.NaN)
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 3; i++) {
      await afterNextPaint()
    }
  }
  await settle()
  const pagesShown = read()
  const style = document.createElement('style')
  style.textContent =
    '.gw-sheet .ProseMirror > .gw-offscreen { content-visibility: visible !important; }'
  document.head.append(style)
  await settle()
  const pagesLaidOut = read()
  style.remove()
  return { pagesShown, pagesLaidOut }
}

/** Destroys an open document in the order the view does (room, editor, then the session). */
export function closeDocument(shell: Shell, open: OpenDocument): void {
  shell.editor.value = null
  open.room.dispose()
  open.editor.destroy()
  open.session.destroy()
}
