/** The shape of the 公文 editor's message table, derived from the zh-CN one. */
import type { gongwenZhCN } from './zh-CN'
import type { MessageTable } from '../../../../i18n/table'

/** Every 公文 message table has exactly the keys of the zh-CN one. */
export type GongwenMessages = MessageTable<typeof gongwenZhCN>
