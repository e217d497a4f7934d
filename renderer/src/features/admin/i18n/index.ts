/** The message tables of 管理 (namespaces adminNav, unitKinds, org, admin, imports, audit). */
import type { FeatureMessages } from '../../../i18n/table'
import { adminEn } from './en'
import { adminZhCN } from './zh-CN'

export const adminMessages: FeatureMessages<typeof adminZhCN> = { 'zh-CN': adminZhCN, en: adminEn }
