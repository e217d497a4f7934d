/**
 * The documents I am a member of. The list is cached per user in localStorage so it renders
 * offline; a GET that fails for want of a network falls back to that cache (`fromCache`).
 * Searches and filters (全文检索, 我起草的/与我共享, 文种) ask the relay; offline they filter the
 * cached titles instead (`searchedOffline`).
 */
import { computed, ref, shallowRef } from 'vue'
import { defineStore } from 'pinia'
import type { DocumentSearchHit, DocumentSummary, TrashedDocument } from '../../../shared/api'
import type { DocTypeId } from '../../../shared/gongwen/docTypes'
import { asHit, filterLocally, isActive, searchQuery } from './documentListQuery'
import type { ListQuery } from './documentListQuery'
import { call } from '../api/call'
import {
  archiveDocument,
  createDocument,
  deleteDocument,
  getDocument,
  listDocuments,
  listTrash,
  renameDocument,
  restoreDocument,
} from '../../../shared/http/routes/documents'
import { ApiError } from '../api/errors'
import { readCache, writeCache } from './localCache'
import { isDocumentList } from './guards'
import { useSessionStore } from './session'
import { newDocumentId, pendingSummary, readPending, writePending } from './pendingDocuments'
import type { PendingDocument } from './pendingDocuments'

function cacheKey(userId: string): string {
  return `qilu:${userId}:documents`
}

function byUpdatedDesc(a: DocumentSummary, b: DocumentSummary): number {
  return b.updatedAt.localeCompare(a.updatedAt)
}

/** The document list. */
export const useDocumentsStore = defineStore('documents', () => {
  const session = useSessionStore()
  const documents = shallowRef<DocumentSummary[]>([])
  const loading = ref(false)
  const loaded = ref(false)
  /** True when the list shown came from the local cache because the relay was unreachable. */
  const fromCache = ref(false)
  const error = shallowRef<unknown>(null)
  /** Results of the active search or filter; null while the plain list is shown. */
  const hits = shallowRef<DocumentSearchHit[] | null>(null)
  const searching = ref(false)
  /** True when `hits` came from the cached titles because the relay was unreachable. */
  const searchedOffline = ref(false)
  const searchError = shallowRef<unknown>(null)
  let searchSeq = 0
  /** The 回收站's rows, once loaded. */
  const trash = shallowRef<TrashedDocument[]>([])
  /** Documents created offline and not yet on the relay (their ids). */
  const pendingIds = shallowRef<ReadonlySet<string>>(new Set())
  /** Ids created from the queue in this session (a socket refused just before may retry). */
  const justCreated = new Set<string>()
  let flushing: Promise<void> | null = null
  if (typeof window !== 'undefined') {
    window.addEventListener('online', () => void flushPending())
  }

  const recent = computed(() => documents.value.slice(0, 5))

  function userId(): string | null {
    return session.user?.id ?? null
  }

  function cached(): DocumentSummary[] {
    const id = userId()
    return id === null ? [] : (readCache(cacheKey(id), isDocumentList) ?? [])
  }

  function store(list: readonly DocumentSummary[]): void {
    documents.value = [...list].sort(byUpdatedDesc)
    const id = userId()
    if (id !== null) {
      writeCache(cacheKey(id), documents.value)
    }
  }

  function upsert(summary: DocumentSummary): void {
    store([summary, ...documents.value.filter((d) => d.id !== summary.id)])
  }

  /** Loads the list from the relay, or from the cache when offline. */
  async function fetchList(): Promise<void> {
    await flushPending()
    loading.value = true
    error.value = null
    if (!loaded.value) {
      // Show the cached list at once; the fresh one replaces it.
      documents.value = cached()
    }
    try {
      const response = await call(listDocuments)
      store([...pendingRows(), ...response.documents])
      fromCache.value = false
    } catch (caught) {
      if (caught instanceof ApiError && caught.isNetwork) {
        documents.value = cached()
        fromCache.value = true
      } else {
        error.value = caught
      }
    } finally {
      loading.value = false
      loaded.value = true
    }
  }

  /**
   * Runs a search or filter; an empty query goes back to the plain list. Only the latest call's
   * answer is kept (typing fires several).
   */
  async function search(query: ListQuery): Promise<void> {
    const mine = ++searchSeq
    searchError.value = null
    if (!isActive(query)) {
      hits.value = null
      searching.value = false
      searchedOffline.value = false
      return
    }
    searching.value = true
    try {
      const response = await call(listDocuments, { query: searchQuery(query) })
      if (mine === searchSeq) {
        hits.value = response.documents.map(asHit)
        searchedOffline.value = false
      }
    } catch (caught) {
      if (mine !== searchSeq) {
        return
      }
      if (caught instanceof ApiError && caught.isNetwork) {
        const list = documents.value.length > 0 ? documents.value : cached()
        hits.value = filterLocally(list, query, userId() ?? '')
        searchedOffline.value = true
      } else {
        hits.value = []
        searchError.value = caught
      }
    } finally {
      if (mine === searchSeq) {
        searching.value = false
      }
    }
  }

  /**
   * Creates a document (the caller becomes its owner); with a 文种 the relay seeds it from that
   * type's template. With `id` (a client-chosen UUID) the relay seeds nothing: the client brings
   * the content (an import). With `offline`, a network failure queues the creation instead: the
   * document opens at once and is created when the network is back.
   * @throws ApiError
   */
  async function create(
    title: string,
    docType?: DocTypeId,
    /**
     * `id`: chosen here (a retry answers the same document); `offline`: queued when the network is
     * down; `withContent`: the caller writes the content (an import), so the relay seeds no template.
     */
    options: { id?: string; offline?: boolean; withContent?: boolean } = {},
  ): Promise<DocumentSummary> {
    const id = options.id ?? (options.offline === true ? newDocumentId() : undefined)
    try {
      const summary = await call(createDocument, {
        body: {
          title,
          ...(docType === undefined ? {} : { docType }),
          ...(id === undefined ? {} : { id }),
          ...(options.withContent === true ? { offline: true } : {}),
        },
      })
      upsert(summary)
      return summary
    } catch (caught) {
      const user = session.user
      if (!(caught instanceof ApiError && caught.isNetwork) || !options.offline || !user || !id) {
        throw caught
      }
      const pending: PendingDocument = {
        id,
        title,
        docType: docType ?? null,
        createdAt: new Date().toISOString(),
        templated: false,
      }
      writePending(user.id, [...readPending(user.id), pending])
      syncPendingIds()
      const summary = pendingSummary(pending, user)
      upsert(summary)
      return summary
    }
  }

  function pendingRows(): DocumentSummary[] {
    const user = session.user
    return user === null ? [] : readPending(user.id).map((p) => pendingSummary(p, user))
  }

  function syncPendingIds(): void {
    const user = session.user
    pendingIds.value = new Set(user === null ? [] : readPending(user.id).map((p) => p.id))
  }

  /** @returns whether the document was created offline and is not on the relay yet */
  function isPending(id: string): boolean {
    const user = session.user
    return user !== null && readPending(user.id).some((p) => p.id === id)
  }

  /** @returns whether the document came from the offline queue in this session */
  function wasPending(id: string): boolean {
    return justCreated.has(id)
  }

  /**
   * Creates the queued documents on the relay, oldest first; stops at the first network failure.
   * One the relay refuses (its id taken) leaves the queue: its local copy stays on this device.
   */
  function flushPending(): Promise<void> {
    flushing ??= (async () => {
      const user = session.user
      if (user === null) {
        return
      }
      for (const pending of readPending(user.id)) {
        try {
          const summary = await call(createDocument, {
            body: {
              title: pending.title,
              id: pending.id,
              offline: true,
              ...(pending.docType === null ? {} : { docType: pending.docType }),
            },
          })
          justCreated.add(pending.id)
          upsert(summary)
        } catch (caught) {
          if (caught instanceof ApiError && caught.isNetwork) {
            break
          }
          error.value = caught
        }
        writePending(
          user.id,
          readPending(user.id).filter((p) => p.id !== pending.id),
        )
      }
    })().finally(() => {
      flushing = null
      syncPendingIds()
    })
    return flushing
  }

  /**
   * @returns the 文种 whose template a document created offline still needs (once: the editor
   *   fills it into the local copy), or null
   */
  function takeTemplate(id: string): DocTypeId | null {
    const user = session.user
    if (user === null) {
      return null
    }
    const list = readPending(user.id)
    const found = list.find((p) => p.id === id)
    if (found === undefined || found.templated || found.docType === null) {
      return null
    }
    writePending(
      user.id,
      list.map((p) => (p.id === id ? { ...p, templated: true } : p)),
    )
    return found.docType
  }

  /** Moves a document to the 回收站 (owner or sysadmin). @throws ApiError */
  async function remove(id: string): Promise<void> {
    await call(deleteDocument, { params: { id } })
    forget(id)
    hits.value = hits.value?.filter((d) => d.id !== id) ?? null
  }

  /** Brings a document back from the 回收站. @throws ApiError */
  async function restore(id: string): Promise<DocumentSummary> {
    const summary = await call(restoreDocument, { params: { id } })
    trash.value = trash.value.filter((d) => d.id !== id)
    upsert(summary)
    return summary
  }

  /** Archives a document (归档): read-only for everyone. @throws ApiError */
  async function archive(id: string): Promise<DocumentSummary> {
    const summary = await call(archiveDocument, { params: { id } })
    upsert(summary)
    hits.value = hits.value?.map((d) => (d.id === id ? { ...d, ...summary } : d)) ?? null
    return summary
  }

  /** Loads the 回收站. @throws ApiError */
  async function loadTrash(): Promise<void> {
    trash.value = (await call(listTrash)).documents
  }

  /**
   * Reads one document's summary; offline, the cached row.
   * @throws ApiError forbidden / not_found, or network when it is not cached either
   */
  async function get(id: string): Promise<{ summary: DocumentSummary; fromCache: boolean }> {
    const user = session.user
    if (user !== null && isPending(id)) {
      await flushPending()
      const still = readPending(user.id).find((p) => p.id === id)
      if (still !== undefined) {
        return { summary: pendingSummary(still, user), fromCache: true }
      }
    }
    try {
      const summary = await call(getDocument, { params: { id } })
      upsert(summary)
      return { summary, fromCache: false }
    } catch (caught) {
      if (caught instanceof ApiError && caught.isNetwork) {
        const hit = [...documents.value, ...cached()].find((d) => d.id === id)
        if (hit !== undefined) {
          return { summary: hit, fromCache: true }
        }
      }
      throw caught
    }
  }

  /** Renames a document. @throws ApiError */
  async function rename(id: string, title: string): Promise<DocumentSummary> {
    const summary = await call(renameDocument, { params: { id }, body: { title } })
    upsert(summary)
    return summary
  }

  /** Forgets a document this user may no longer open (after a 403). */
  function forget(id: string): void {
    store(documents.value.filter((d) => d.id !== id))
  }

  /** Clears the in-memory list (on logout; the per-user cache stays for the next login). */
  function reset(): void {
    documents.value = []
    loaded.value = false
    fromCache.value = false
    error.value = null
    hits.value = null
    searchedOffline.value = false
    searchError.value = null
    trash.value = []
  }

  syncPendingIds()

  return {
    documents,
    recent,
    loading,
    loaded,
    fromCache,
    error,
    hits,
    searching,
    searchedOffline,
    searchError,
    trash,
    pendingIds,
    fetchList,
    search,
    create,
    isPending,
    wasPending,
    flushPending,
    takeTemplate,
    remove,
    restore,
    archive,
    loadTrash,
    get,
    rename,
    forget,
    reset,
  }
})
