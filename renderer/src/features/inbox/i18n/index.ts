/** The message tables of the inbox bell (namespace inbox). */
import type { FeatureMessages } from '../../../i18n/table'
import { inboxEn } from './en'
import { inboxZhCN } from './zh-CN'

const zhCN = { inbox: inboxZhCN } as const

export const inboxMessages: FeatureMessages<typeof zhCN> = { 'zh-CN': zhCN, en: { inbox: inboxEn } }
