/** The shape of a message table of another language: the keys of `T`, any text. */
export type MessageTable<T> = {
  -readonly [K in keyof T]: T[K] extends string ? string : MessageTable<T[K]>
}

/** One feature's message tables, both languages (a feature's `i18n/index.ts` exports one). */
export interface FeatureMessages<T> {
  readonly 'zh-CN': T
  readonly en: MessageTable<T>
}
