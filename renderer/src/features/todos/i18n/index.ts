/** The message tables of the 待办 centre and the delegations screen (namespace todos). */
import type { FeatureMessages } from '../../../i18n/table'
import { todosEn } from './en'
import { todosZhCN } from './zh-CN'

const zhCN = { todos: todosZhCN } as const

export const todosMessages: FeatureMessages<typeof zhCN> = { 'zh-CN': zhCN, en: { todos: todosEn } }
