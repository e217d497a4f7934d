/** The message tables of the meetings screens (namespace meetings). */
import type { FeatureMessages } from '../../../i18n/table'
import { meetingsEn } from './en'
import { meetingsZhCN } from './zh-CN'

const zhCN = { meetings: meetingsZhCN } as const

export const meetingsMessages: FeatureMessages<typeof zhCN> = {
  'zh-CN': zhCN,
  en: { meetings: meetingsEn },
}
