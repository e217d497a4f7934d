/**
 * Puts an imported body where the drafter chose, without losing anything: into a NEW document
 * (created through the API, written into its room in one transaction and confirmed by the relay
 * before the drafter is taken there), or over the current body through the editor, so that Undo
 * and the version history can bring the old one back. The 公文要素 the approval flow fills (发文字号,
 * 签发人, 印发日期) are never written from a file: the relay would refuse the session's work.
 */
import type { Editor } from '@tiptap/core'
import type * as Y from 'yjs'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { prosemirrorToYXmlFragment } from '@tiptap/y-tiptap'
import { DOC_TYPES, titleEndings } from '../../../../../../shared/gongwen/docTypes'
import type { DocTypeId } from '../../../../../../shared/gongwen/docTypes'
import {
  DEFAULT_META,
  META_KEYS,
  isFlowWrittenMetaKey,
  validateMetaValue,
} from '../../../../../../shared/gongwen/meta'
import type {
  FlowWrittenMetaKey,
  GongwenMeta,
  MetaKey,
} from '../../../../../../shared/gongwen/meta'
import { BODY_ROOT, META_ROOT } from '../../../../../../shared/gongwen/yBody'
import { CollabSession } from '../../../../collab/CollabSession'
import type { SyncFacts } from '../../../../collab/syncStatus'
import { waitForAcknowledged, waitForSync } from './waitForRoom'

/** @returns the 文种 a title names by its ending (…的通知 → notice), or 通知 when none does. */
export function docTypeFromTitle(title: string): DocTypeId {
  const trimmed = title.trim()
  const found = DOC_TYPES.find((type) =>
    titleEndings(type).some((ending) => trimmed.endsWith(ending)),
  )
  return found?.id ?? 'notice'
}

/** @returns a document title from an imported title or, failing that, the file name. */
export function importTitle(title: string, fileName: string): string {
  const fromFile = fileName.replace(/\.docx$/i, '').trim()
  return (title.trim() || fromFile || '导入的公文').slice(0, 200)
}

/** Replaces the editor's body (an undoable change of the editor's own). */
export function replaceBody(editor: Editor, body: ProseMirrorNode): void {
  editor.chain().setContent(body.toJSON(), { emitUpdate: true }).focus('start').run()
}

/** 公文要素 found in an imported file (htmlToBody's `meta`). */
export type ImportedMeta = Partial<Omit<GongwenMeta, 'title'>>

/** @returns whether a meta value is absent or the value a missing key reads as (DEFAULT_META) */
const isUnset = (key: MetaKey, value: unknown): boolean =>
  value === undefined || JSON.stringify(value) === JSON.stringify(DEFAULT_META[key])

/**
 * @returns the keys found in an imported file that the approval flow fills and so are not
 *   imported (in form order; empty values left out)
 */
export function flowFilledInImport(meta: ImportedMeta): FlowWrittenMetaKey[] {
  return META_KEYS.filter(isFlowWrittenMetaKey).filter((key) => {
    const value: unknown = meta[key]
    return value !== undefined && !isUnset(key, value)
  })
}

/**
 * @returns the imported values that may be saved (each checked as the meta form checks it; never
 *   a key the approval flow fills)
 */
function savableMeta(meta: ImportedMeta): Partial<Record<MetaKey, unknown>> {
  const values: Partial<Record<MetaKey, unknown>> = {}
  for (const key of META_KEYS) {
    const value = (meta as Partial<Record<MetaKey, unknown>>)[key]
    if (
      key !== 'title' &&
      !isFlowWrittenMetaKey(key) &&
      value !== undefined &&
      validateMetaValue(key, value).ok
    ) {
      values[key] = Array.isArray(value) ? [...(value as unknown[])] : value
    }
  }
  return values
}

/**
 * Writes imported 公文要素 into a document's `meta` where it holds no value yet (a replaced body
 * keeps the form's values). @returns the keys written
 */
export function fillEmptyMeta(doc: Y.Doc, meta: ImportedMeta): MetaKey[] {
  const map = doc.getMap<unknown>(META_ROOT)
  const written: MetaKey[] = []
  doc.transact(() => {
    for (const [key, value] of Object.entries(savableMeta(meta)) as [MetaKey, unknown][]) {
      if (isUnset(key, map.get(key)) && !isUnset(key, value)) {
        map.set(key, value)
        written.push(key)
      }
    }
  })
  return written
}

/** How writing into a new document ended. */
export type NewDocumentOutcome =
  /** The relay acknowledged the body. */
  | 'confirmed'
  /** Written locally (IndexedDB); the relay has not acknowledged it yet. */
  | 'local'

/**
 * Writes an imported body and its title into the room of a freshly created document.
 * @throws Error when the room cannot be reached or already holds a body
 */
export async function writeNewDocument(options: {
  readonly documentId: string
  readonly userId: string
  readonly token: string
  readonly title: string
  readonly body: ProseMirrorNode
  /** Other 公文要素 found in the file. */
  readonly meta?: ImportedMeta
}): Promise<NewDocumentOutcome> {
  let facts: SyncFacts = { connection: 'disconnected', synced: false, pending: false }
  const session = await CollabSession.open({
    documentId: options.documentId,
    userId: options.userId,
    token: options.token,
    canWrite: false,
    onChange: (next) => {
      facts = next
    },
    onTerminalClose: () => undefined,
  })
  try {
    if (!(await waitForSync(session, 10_000))) {
      throw new Error('the new document’s room did not answer')
    }
    const fragment = session.doc.getXmlFragment(BODY_ROOT)
    if (fragment.length > 0) {
      throw new Error('the new document already has a body')
    }
    const meta = session.doc.getMap<unknown>(META_ROOT)
    session.doc.transact(() => {
      for (const [key, value] of Object.entries({
        ...DEFAULT_META,
        docType: docTypeFromTitle(options.title),
        ...savableMeta(options.meta ?? {}),
        title: options.title,
      })) {
        if (meta.get(key) === undefined) {
          meta.set(key, Array.isArray(value) ? [...value] : value)
        }
      }
      prosemirrorToYXmlFragment(options.body, fragment)
    })
    return (await waitForAcknowledged(() => facts, 15_000)) ? 'confirmed' : 'local'
  } finally {
    session.destroy()
  }
}
