/** The message tables of 通讯录 (namespace directory). */
import type { FeatureMessages } from '../../../i18n/table'
import { directoryEn } from './en'
import { directoryZhCN } from './zh-CN'

export const directoryMessages: FeatureMessages<typeof directoryZhCN> = {
  'zh-CN': directoryZhCN,
  en: directoryEn,
}
