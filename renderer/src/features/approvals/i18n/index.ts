/** The message tables of the approval screens (namespace approval). */
import type { FeatureMessages } from '../../../i18n/table'
import { approvalEn } from './en'
import { approvalZhCN } from './zh-CN'

const zhCN = { approval: approvalZhCN } as const

export const approvalMessages: FeatureMessages<typeof zhCN> = {
  'zh-CN': zhCN,
  en: { approval: approvalEn },
}
