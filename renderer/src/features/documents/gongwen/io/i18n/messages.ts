/** The shape of the Word/PDF message table, derived from the zh-CN one. */
import type { gongwenIoZhCN } from './zh-CN'
import type { MessageTable } from '../../../../../i18n/table'

/** Every Word/PDF message table has exactly the keys of the zh-CN one. */
export type GongwenIoMessages = MessageTable<typeof gongwenIoZhCN>
