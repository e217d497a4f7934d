/**
 * The directory's search box: a debounced search on the relay, falling back to the units cached on
 * this device when offline (or when the relay cannot be reached).
 */
import { onBeforeUnmount, ref, shallowRef, watch } from 'vue'
import type { Ref, ShallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import type { DirectoryEntry } from '../../../../shared/api'
import { searchDirectory } from '../../../../shared/http/routes/directory'
import { call } from '../../api/call'
import { ApiError, errorMessage } from '../../api/errors'
import { useNetworkStore } from '../../stores/network'
import { useSessionStore } from '../../stores/session'
import { cachedUnitIds, readCachedEntries } from './DirectoryRoom'
import { searchEntries } from './directoryMatch'

/** Wait after the last keystroke before searching (ms). */
const DEBOUNCE_MS = 250

/** What the search binds to. */
export interface DirectorySearch {
  readonly query: Ref<string>
  readonly results: ShallowRef<DirectoryEntry[]>
  readonly searched: Ref<boolean>
  readonly searching: Ref<boolean>
  /** Where the shown results came from. */
  readonly source: Ref<'server' | 'cache'>
  /** How many units the cached search looked in. */
  readonly cachedCount: Ref<number>
  readonly failure: Ref<string | null>
}

/** The search of the calling component (its timer stops when it unmounts). */
export function useDirectorySearch(): DirectorySearch {
  const { t } = useI18n()
  const session = useSessionStore()
  const network = useNetworkStore()

  const query = ref('')
  const results = shallowRef<DirectoryEntry[]>([])
  const searched = ref(false)
  const searching = ref(false)
  const source = ref<'server' | 'cache'>('server')
  const cachedCount = ref(0)
  const failure = ref<string | null>(null)
  let timer: ReturnType<typeof setTimeout> | null = null
  let seq = 0

  function describe(error: unknown): string {
    const message = errorMessage(error)
    return t(message.key, message.params)
  }

  async function searchCache(text: string, mine: number): Promise<void> {
    const userId = session.user?.id
    if (userId === undefined) {
      return
    }
    const entries = await readCachedEntries(userId)
    if (mine === seq) {
      results.value = searchEntries(entries, text)
      source.value = 'cache'
      cachedCount.value = cachedUnitIds(userId).length
      searched.value = true
      failure.value = null
    }
  }

  async function search(text: string): Promise<void> {
    const mine = ++seq
    searching.value = true
    try {
      if (network.offline) {
        await searchCache(text, mine)
        return
      }
      try {
        const response = await call(searchDirectory, { query: { q: text } })
        if (mine === seq) {
          results.value = response.entries
          source.value = 'server'
          searched.value = true
          failure.value = null
        }
      } catch (error) {
        if (error instanceof ApiError && error.isNetwork) {
          await searchCache(text, mine)
        } else if (mine === seq) {
          failure.value = describe(error)
        }
      }
    } finally {
      if (mine === seq) {
        searching.value = false
      }
    }
  }

  watch(query, (text) => {
    if (timer !== null) {
      clearTimeout(timer)
    }
    const trimmed = text.trim()
    if (trimmed === '') {
      seq++
      results.value = []
      searched.value = false
      searching.value = false
      return
    }
    timer = setTimeout(() => void search(trimmed), DEBOUNCE_MS)
  })

  onBeforeUnmount(() => {
    if (timer !== null) {
      clearTimeout(timer)
    }
  })

  return { query, results, searched, searching, source, cachedCount, failure }
}
