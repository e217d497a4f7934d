/** The shape of the 公文 editor's message table, derived from the zh-CN one. */
import type { gongwenZhCN } from './zh-CN'

type Widen<T> = { -readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> }

/** Every 公文 message table has exactly the keys of the zh-CN one. */
export type GongwenMessages = Widen<typeof gongwenZhCN>
