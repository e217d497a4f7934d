/**
 * vue-i18n setup: zh-CN first, English second; the choice persists in localStorage and switches
 * Element Plus's own texts (pagination, dialogs, empty states) with it.
 */
import { computed } from 'vue'
import { createI18n } from 'vue-i18n'
import zhCnElement from 'element-plus/es/locale/lang/zh-cn'
import enElement from 'element-plus/es/locale/lang/en'
import { en, zhCN } from './messages'
import type { Messages } from './messages'

/** The languages of the UI. */
export type AppLocale =
  /** 简体中文, the default. */
  | 'zh-CN'
  /** English. */
  | 'en'

/** Languages offered in the header switch, in order. */
export const LOCALES: readonly { readonly value: AppLocale; readonly label: string }[] = [
  { value: 'zh-CN', label: '简体中文' },
  { value: 'en', label: 'English' },
]

const LOCALE_KEY = 'qilu:locale'

function savedLocale(): AppLocale {
  const saved = localStorage.getItem(LOCALE_KEY)
  return saved === 'en' ? 'en' : 'zh-CN'
}

/** The i18n instance (composition API mode). */
export const i18n = createI18n<[Messages], AppLocale, false>({
  legacy: false,
  locale: savedLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
})

/** Switches the language and remembers it. */
export function setLocale(locale: AppLocale): void {
  i18n.global.locale.value = locale
  localStorage.setItem(LOCALE_KEY, locale)
  document.documentElement.lang = locale
}

/** Element Plus's locale for the current language (bind to `<el-config-provider :locale>`). */
export const elementLocale = computed(() =>
  i18n.global.locale.value === 'en' ? enElement : zhCnElement,
)
