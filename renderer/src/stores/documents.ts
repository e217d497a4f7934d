/**
 * The documents I am a member of. The list is cached per user in localStorage so it renders
 * offline; a GET that fails for want of a network falls back to that cache (`fromCache`).
 * Searches and filters (全文检索, 我起草的/与我共享, 文种) ask the relay; offline they filter the
 * cached titles instead (`searchedOffline`).
 */
import { computed, ref, shallowRef } from 'vue'
import { defineStore } from 'pinia'
import type { DocumentSearchHit, DocumentSummary } from '../../../shared/api'
import type { DocTypeId } from '../../../shared/gongwen/docTypes'
import { asHit, filterLocally, isActive, searchQuery } from './documentListQuery'
import type { ListQuery } from './documentListQuery'
import { call } from '../api/call'
import {
  createDocument,
  getDocument,
  listDocuments,
  renameDocument,
} from '../../../shared/http/routes/documents'
import { ApiError } from '../api/errors'
import { readCache, writeCache } from './localCache'
import { isDocumentList } from './guards'
import { useSessionStore } from './session'

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
    loading.value = true
    error.value = null
    if (!loaded.value) {
      // Show the cached list at once; the fresh one replaces it.
      documents.value = cached()
    }
    try {
      const response = await call(listDocuments)
      store(response.documents)
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
   * type's template. @throws ApiError
   */
  async function create(title: string, docType?: DocTypeId): Promise<DocumentSummary> {
    const summary = await call(createDocument, {
      body: docType === undefined ? { title } : { title, docType },
    })
    upsert(summary)
    return summary
  }

  /**
   * Reads one document's summary; offline, the cached row.
   * @throws ApiError forbidden / not_found, or network when it is not cached either
   */
  async function get(id: string): Promise<{ summary: DocumentSummary; fromCache: boolean }> {
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
  }

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
    fetchList,
    search,
    create,
    get,
    rename,
    forget,
    reset,
  }
})
