/**
 * Opening a document in the editor view: the summary (title, role) and the collaborative session
 * load side by side, the body editor and the 公文 room are created once the relay's socket is open,
 * and every way the document cannot be shown (refused, not found, not cached, failed, the relay
 * ending the socket for good) is mapped to what the view tells the user. Owns the editor, the room
 * and the collab session; the view's other composables read them.
 */
import { computed, onBeforeUnmount, ref, shallowRef, watch } from 'vue'
import type { ComputedRef, Ref, ShallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import { useRouter } from 'vue-router'
import type { Editor } from '@tiptap/vue-3'
import type { DocumentSummary } from '../../../../../shared/api'
import type { MemberRole } from '../../../../../shared/domain/roles'
import { canEditBody } from '../../../../../shared/domain/permissions'
import { ApiError, errorMessage } from '../../../api/errors'
import { useCollabSession } from '../../../collab/useCollabSession'
import type { CollabSessionHandle } from '../../../collab/useCollabSession'
import type { CollabSession } from '../../../collab/CollabSession'
import { closeMessageKey } from '../../../collab/closeReasons'
import type { CloseAction } from '../../../collab/closeReasons'
import type { RefusedWork } from '../../../collab/refusedWork'
import { useSessionStore } from '../../../stores/session'
import { useDocumentsStore } from '../../../stores/documents'
import { useRefusedWork } from '../components/useRefusedWork'
import type { RefusedWorkHandle } from '../components/useRefusedWork'
import { createBodyEditor } from '../gongwen/pageview/bodyEditor'
import { createGongwenRoom } from '../gongwen/pageview/gongwenRoom'
import type { GongwenRoom, RoomMode } from '../gongwen/pageview/gongwenRoom'
import { Annotations } from '../gongwen/pageview/annotationsExtension'
import { SuggestionInput } from '../gongwen/suggestions/suggestionInput'
import { isBlankBody } from '../gongwen/pageview/bodyLocations'

/** Why the document cannot be shown. */
export type Blocked = 'forbidden' | 'notFound' | 'notCached' | 'failed'

/** What the rest of the view hooks into while a document opens. */
export interface DocumentLoadHooks {
  /** A 批注 or 修订 mark in the body was activated (clicked into). */
  onActivate(kind: 'comment' | 'suggestion', id: string): void
  /** An input method starts composing in 修订 mode: open the suggestion box for `from`–`to`. */
  onCompose(from: number, to: number): void
  /** An edit in 修订 mode that cannot be suggested (a new paragraph, a suggestion too long). */
  onUnsupported(what: 'paragraph' | 'tooLong'): void
  /** The editor was let go of (a new document, a block, the view closing). */
  onReset(): void
  /** The editor and the room are ready for `session`. */
  onReady(room: GongwenRoom, session: CollabSession): void
}

/** What the view binds to. */
export interface DocumentLoad {
  readonly collab: CollabSessionHandle
  readonly refusedWork: RefusedWorkHandle
  readonly summary: ShallowRef<DocumentSummary | null>
  readonly blocked: Ref<Blocked | null>
  /** The text shown for 'failed'. */
  readonly failureText: Ref<string>
  readonly editor: ShallowRef<Editor | null>
  readonly room: ShallowRef<GongwenRoom | null>
  /** Whether the body is empty (the placeholder shows). */
  readonly isEmpty: Ref<boolean>
  /** Whether the body holds no text yet (a template is offered). */
  readonly isBlank: Ref<boolean>
  readonly role: ComputedRef<MemberRole | null>
  readonly editable: ComputedRef<boolean>
  readonly mode: ComputedRef<RoomMode>
  /** An editor's own 修订 switch: their typing becomes suggestions too. */
  readonly trackChanges: Ref<boolean>
  /** Whether typing in the body makes suggestions (commenters always, editors with 修订 on). */
  readonly suggesting: ComputedRef<boolean>
  /**
   * Loads the document `id()` names, and again whenever it changes. Call it once the hooks' owners
   * exist (the first load calls `onReset` at once).
   */
  start(): void
}

/** Longest wait for the relay's socket before the editor is created (see whenSocketOpen). */
const SOCKET_WAIT_MS = 40

/**
 * The loading of the document `id()` names (it starts with `start()`). Call it first in the view:
 * the editor must let go of the Y.Doc before the collab session closes.
 */
export function useDocumentLoad(id: () => string, hooks: DocumentLoadHooks): DocumentLoad {
  const { t } = useI18n()
  const router = useRouter()
  const session = useSessionStore()
  const documents = useDocumentsStore()

  const summary = shallowRef<DocumentSummary | null>(null)
  const blocked = ref<Blocked | null>(null)
  const failureText = ref('')
  const editor = shallowRef<Editor | null>(null)
  const room = shallowRef<GongwenRoom | null>(null)
  const isEmpty = ref(true)
  const isBlank = ref(true)

  function destroyEditor(): void {
    room.value?.dispose()
    room.value = null
    editor.value?.destroy()
    editor.value = null
    hooks.onReset()
  }
  // Registered before the collab session's own hook: the editor must let go of the Y.Doc first.
  onBeforeUnmount(destroyEditor)

  const collab = useCollabSession(onTerminalClose)
  const refusedWork = useRefusedWork()

  const role = computed(() => summary.value?.role ?? null)
  const editable = computed(() => canEditBody(role.value))
  const mode = computed<RoomMode>(() =>
    editable.value ? 'edit' : role.value === 'commenter' ? 'suggest' : 'read',
  )
  const trackChanges = ref(false)
  const suggesting = computed(
    () => mode.value === 'suggest' || (mode.value === 'edit' && trackChanges.value),
  )

  function block(reason: Blocked, text = ''): void {
    destroyEditor()
    collab.close()
    blocked.value = reason
    failureText.value = text
  }

  function onTerminalClose(
    action: Exclude<CloseAction, 'reconnect'>,
    work: RefusedWork | null,
  ): void {
    switch (action) {
      case 'session-ended':
      case 'deactivated':
        destroyEditor()
        collab.close()
        void session
          .endLocally(action === 'deactivated' ? 'deactivated' : 'unauthorized')
          .then(() => router.replace({ name: 'login' }))
        return
      case 'forbidden':
        documents.forget(id())
        block('forbidden')
        return
      case 'unknown-room':
        block('notFound')
        return
      case 'password-change-required':
        // Re-read the account: it now says the password must be set, and the router holds it there.
        destroyEditor()
        collab.close()
        void session.refresh().then(() => router.replace({ name: 'password' }))
        return
      case 'update-refused':
      case 'classified-refused':
      case 'too-large':
        if (work === null) {
          block('failed', t(closeMessageKey(action)))
          return
        }
        // The refused changes are kept aside and the local copy cleared: reopen from the relay's
        // state, and offer what can be done with them (never resend them as they are).
        refusedWork.refused(work)
        void load(id())
    }
  }

  /** Maps a failed summary request to what the view shows. */
  function blockFor(documentId: string, error: unknown): void {
    if (error instanceof ApiError && error.code === 'forbidden') {
      documents.forget(documentId)
      block('forbidden')
    } else if (error instanceof ApiError && error.code === 'not_found') {
      block('notFound')
    } else if (error instanceof ApiError && error.isNetwork) {
      block('notCached')
    } else {
      const message = errorMessage(error)
      block('failed', t(message.key, message.params))
    }
  }

  async function load(documentId: string): Promise<void> {
    destroyEditor()
    collab.close()
    blocked.value = null
    summary.value = null
    trackChanges.value = false
    const user = session.user
    const token = session.token
    if (user === null || token === null) {
      return
    }
    // The summary (title, role) and the document itself load side by side; the session asks for
    // the role only at its first sync, by which time the summary is in.
    const summaryRequest = documents.get(documentId)
    void refusedWork.check(user.id, documentId)
    const opening = collab.open({
      documentId,
      userId: user.id,
      token,
      canWrite: () => editable.value,
    })
    try {
      summary.value = (await summaryRequest).summary
    } catch (error) {
      collab.close()
      blockFor(documentId, error)
      return
    }
    const opened = await opening
    if (opened === null || documentId !== id()) {
      return
    }
    await opened.whenSocketOpen(SOCKET_WAIT_MS)
    if (documentId !== id() || collab.session.value !== opened) {
      return
    }
    const author = { id: user.id, name: user.displayName }
    const handle = createGongwenRoom(opened.doc, author)
    /** Runs a 修订 edit; a suggestion grown past its limit is declined with a note. */
    const suggest = (edit: () => number | null): number | null => {
      try {
        return edit()
      } catch {
        hooks.onUnsupported('tooLong')
        return null
      }
    }
    const created = createBodyEditor({
      session: opened,
      user: author,
      // Commenters get a caret and type too: what they type becomes suggestions (SuggestionInput).
      editable: editable.value || mode.value === 'suggest',
      label: summary.value?.title ?? '',
      extensions: [
        Annotations.configure({
          source: () => handle.specs(),
          onActivate: (kind, annotationId) => {
            handle.activate({ kind, id: annotationId })
            hooks.onActivate(kind, annotationId)
          },
        }),
        SuggestionInput.configure({
          enabled: () => suggesting.value,
          onInsert: (doc, from, to, text) =>
            suggest(() => handle.typing.insert(doc, from, to, text)),
          onDelete: (doc, direction, from, to) =>
            suggest(() =>
              from !== to
                ? handle.typing.deleteRange(doc, from, to)
                : direction === 'backward'
                  ? handle.typing.deleteBackward(doc, from)
                  : handle.typing.deleteForward(doc, from),
            ),
          onCompose: (from, to) => hooks.onCompose(from, to),
          onUnsupported: (what) => hooks.onUnsupported(what),
        }),
      ],
    })
    const syncEmpty = (): void => {
      isEmpty.value = created.isEmpty
      isBlank.value = isBlankBody(created.state.doc)
    }
    created.on('update', syncEmpty)
    created.on('create', syncEmpty)
    syncEmpty()
    handle.attach(created)
    room.value = handle
    editor.value = created
    hooks.onReady(handle, opened)
  }

  function start(): void {
    watch(
      id,
      (documentId) => {
        void load(documentId)
      },
      { immediate: true },
    )
  }

  return {
    collab,
    refusedWork,
    summary,
    blocked,
    failureText,
    editor,
    room,
    isEmpty,
    isBlank,
    role,
    editable,
    mode,
    trackChanges,
    suggesting,
    start,
  }
}
