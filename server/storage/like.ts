/** LIKE patterns with the user's text taken literally on both dialects (`\` escapes % and _). */
import { sql } from 'kysely'
import type { RawBuilder } from 'kysely'

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** @returns a pattern matching values that start with `text`. */
export function likePrefix(text: string): RawBuilder<string> {
  return sql<string>`${`${escapeLike(text)}%`} escape '\\'`
}

/** @returns a pattern matching values that contain `text`. */
export function likeContains(text: string): RawBuilder<string> {
  return sql<string>`${`%${escapeLike(text)}%`} escape '\\'`
}
