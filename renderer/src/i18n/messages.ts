/**
 * The message tables of the UI: the shell's own (zh-CN.ts, en.ts) and each feature's, from its
 * `i18n/index.ts`. This is the one place below the views that names features, and it imports only
 * their message tables (the layer lint rule allows nothing else). A new feature adds its tables
 * here, in both spreads.
 */
import { accountMessages } from '../features/account/i18n'
import { adminMessages } from '../features/admin/i18n'
import { approvalMessages } from '../features/approvals/i18n'
import { directoryMessages } from '../features/directory/i18n'
import { documentsMessages } from '../features/documents/i18n'
import { inboxMessages } from '../features/inbox/i18n'
import { todosMessages } from '../features/todos/i18n'
import { meetingsMessages } from '../features/meetings/i18n'
import { coreEn } from './en'
import type { MessageTable } from './table'
import { coreZhCN } from './zh-CN'

/** The default (zh-CN) table. */
export const zhCN = {
  ...coreZhCN,
  ...adminMessages['zh-CN'],
  ...directoryMessages['zh-CN'],
  ...accountMessages['zh-CN'],
  ...documentsMessages['zh-CN'],
  ...inboxMessages['zh-CN'],
  ...approvalMessages['zh-CN'],
  ...todosMessages['zh-CN'],
  ...meetingsMessages['zh-CN'],
} as const

/** Every message table has exactly the keys of the zh-CN table. */
export type Messages = MessageTable<typeof zhCN>

/** The English table. */
export const en: Messages = {
  ...coreEn,
  ...adminMessages.en,
  ...directoryMessages.en,
  ...accountMessages.en,
  ...documentsMessages.en,
  ...inboxMessages.en,
  ...approvalMessages.en,
  ...todosMessages.en,
  ...meetingsMessages.en,
}
