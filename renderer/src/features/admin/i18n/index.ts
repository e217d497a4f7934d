/** The message tables of 管理 (namespaces adminNav, unitKinds, org, admin, imports, audit, apAdmin). */
import type { FeatureMessages } from '../../../i18n/table'
import { adminEn } from './en'
import { adminZhCN } from './zh-CN'
import { apAdminEn } from '../approvalSetup/i18n/en'
import { apAdminZhCN } from '../approvalSetup/i18n/zh-CN'

const zhCN = { ...adminZhCN, apAdmin: apAdminZhCN } as const

/** 管理's tables, with the approval admin screens' (namespace apAdmin). */
export const adminMessages: FeatureMessages<typeof zhCN> = {
  'zh-CN': zhCN,
  en: { ...adminEn, apAdmin: apAdminEn },
}
