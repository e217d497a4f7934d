/**
 * The message tables of 公文 (namespaces docs: the documents screen; gongwen: the editor; gongwenIo:
 * Word/PDF; versions: 版本 and 留痕), each kept next to the code that shows it.
 */
import type { FeatureMessages } from '../../../i18n/table'
import { gongwenEn } from '../gongwen/i18n/en'
import { gongwenZhCN } from '../gongwen/i18n/zh-CN'
import { gongwenIoEn } from '../gongwen/io/i18n/en'
import { gongwenIoZhCN } from '../gongwen/io/i18n/zh-CN'
import { versionsEn } from '../gongwen/versions/i18n/en'
import { versionsZhCN } from '../gongwen/versions/i18n/zh-CN'
import { docsEn } from './en'
import { docsZhCN } from './zh-CN'

const zhCN = {
  gongwen: gongwenZhCN,
  gongwenIo: gongwenIoZhCN,
  docs: docsZhCN,
  versions: versionsZhCN,
} as const

export const documentsMessages: FeatureMessages<typeof zhCN> = {
  'zh-CN': zhCN,
  en: { gongwen: gongwenEn, gongwenIo: gongwenIoEn, docs: docsEn, versions: versionsEn },
}
