/**
 * Keeps `document.title` as 「page - 齐鲁办公」: the page is the current route's `meta.title` (an
 * i18n key) unless a mounted view names what it shows (components/windowTitle.ts). Follows the
 * language too.
 */
import { effectScope, shallowRef, watchEffect } from 'vue'
import type { Router } from 'vue-router'
import { i18n } from '../i18n'
import { composeWindowTitle, viewWindowTitle } from '../components/windowTitle'

/** Starts following the router; call once, with the app's router. */
export function followWindowTitle(router: Router): void {
  const routeKey = shallowRef<string | undefined>(undefined)
  router.afterEach((to) => {
    routeKey.value = to.meta.title
  })
  effectScope(true).run(() => {
    watchEffect(() => {
      const { t } = i18n.global
      const key = routeKey.value
      const page = viewWindowTitle.value ?? (key === undefined ? '' : t(key))
      document.title = composeWindowTitle(page, t('app.name'))
    })
  })
}
