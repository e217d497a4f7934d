/** The shape of the Word/PDF message table, derived from the zh-CN one. */
import type { gongwenIoZhCN } from './zh-CN'

type Widen<T> = { -readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> }

/** Every Word/PDF message table has exactly the keys of the zh-CN one. */
export type GongwenIoMessages = Widen<typeof gongwenIoZhCN>
