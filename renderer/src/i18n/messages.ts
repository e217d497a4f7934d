/** The shape of a message table, derived from the default (zh-CN) one. */
import type { zhCN } from './zh-CN'

type Widen<T> = { -readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> }

/** Every message table has exactly the keys of the zh-CN table. */
export type Messages = Widen<typeof zhCN>
