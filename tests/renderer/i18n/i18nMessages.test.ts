/**
 * Every message of both languages compiles with vue-i18n's message compiler. A message with an
 * unescaped `@` (linked message), `{`, `}` or `|` (plural) makes vue-i18n log a SyntaxError each
 * time it is shown; literal ones are written `{'@'}`, `{'{'}`, `{'}'}`, `{'|'}`.
 */
import { baseCompile } from '@intlify/message-compiler'
import { describe, expect, test } from 'vitest'
import { en, zhCN } from '../../../renderer/src/i18n/messages'

/** @returns every [key, message] of a table, keys dotted. */
function entries(table: object, prefix = ''): [string, string][] {
  return Object.entries(table).flatMap(([key, value]): [string, string][] => {
    const path = prefix === '' ? key : `${prefix}.${key}`
    if (typeof value === 'string') {
      return [[path, value]]
    }
    return typeof value === 'object' && value !== null ? entries(value, path) : []
  })
}

/** @returns the compile errors of a message (empty when it compiles). */
function compileErrors(message: string): string[] {
  const errors: string[] = []
  baseCompile(message, { onError: (error) => errors.push(error.message) })
  return errors
}

describe('message tables', () => {
  for (const [locale, table] of [
    ['zh-CN', zhCN],
    ['en', en],
  ] as const) {
    test(`every ${locale} message compiles with vue-i18n's compiler`, () => {
      const failures = entries(table)
        .map(([key, message]) => ({ key, message, errors: compileErrors(message) }))
        .filter((failure) => failure.errors.length > 0)
      expect(failures).toEqual([])
    })
  }
})
