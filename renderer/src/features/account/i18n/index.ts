/** The message tables of 我的会话 (namespace sessions). */
import type { FeatureMessages } from '../../../i18n/table'
import { accountEn } from './en'
import { accountZhCN } from './zh-CN'

export const accountMessages: FeatureMessages<typeof accountZhCN> = {
  'zh-CN': accountZhCN,
  en: accountEn,
}
