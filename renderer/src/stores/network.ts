/**
 * Connectivity as the UI needs it: the browser's own online flag, and whether the relay answered
 * the last API call. Either being false puts the shell in 离线模式 (cached data, a banner).
 */
import { computed, ref } from 'vue'
import { defineStore } from 'pinia'

/** Connectivity state. */
export const useNetworkStore = defineStore('network', () => {
  const browserOnline = ref(typeof navigator === 'undefined' ? true : navigator.onLine)
  const serverReachable = ref(true)

  /** True when cached data is being shown because the relay cannot be reached. */
  const offline = computed(() => !browserOnline.value || !serverReachable.value)

  function setBrowserOnline(online: boolean): void {
    browserOnline.value = online
    if (online) {
      // Optimistic: the next API call will tell the truth.
      serverReachable.value = true
    }
  }

  /** Records the outcome of an API call (true: the relay answered, with any status). */
  function reportReachable(reachable: boolean): void {
    serverReachable.value = reachable
  }

  /** Follows the browser's `online` / `offline` events. @returns a function that stops listening. */
  function listen(): () => void {
    const onOnline = (): void => setBrowserOnline(true)
    const onOffline = (): void => setBrowserOnline(false)
    window.addEventListener('online', onOnline)
    window.addEventListener('offline', onOffline)
    return () => {
      window.removeEventListener('online', onOnline)
      window.removeEventListener('offline', onOffline)
    }
  }

  return { browserOnline, serverReachable, offline, setBrowserOnline, reportReachable, listen }
})
