import { describe, expect, test } from 'vitest'
import { closeAction, closeMessageKey } from '../../../renderer/src/collab/closeReasons'
import { CloseEvents } from '../../../shared/protocol/closeEvents'
import { CLASSIFIED_REFUSAL } from '../../../shared/gongwen/meta'
import { zhCN } from '../../../renderer/src/i18n/messages'
import { en } from '../../../renderer/src/i18n/messages'

/** Resolves a dotted key against a message table. */
function message(table: unknown, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>(
      (node, part) =>
        typeof node === 'object' && node !== null ? Reflect.get(node, part) : undefined,
      table,
    )
}

describe('4403 refusals are told apart by their reason', () => {
  test('a refused commenter update, a classified document and a lost right are three different closes', () => {
    const { forbidden, updateRefused, classifiedRefused } = CloseEvents
    expect(closeAction(updateRefused.code, updateRefused.reason)).toBe('update-refused')
    expect(closeAction(classifiedRefused.code, classifiedRefused.reason)).toBe('classified-refused')
    expect(closeAction(forbidden.code, forbidden.reason)).toBe('forbidden')
    // A 4403 with no or an unknown reason still stops as 无权访问该文档.
    expect(closeAction(4403)).toBe('forbidden')
    expect(closeAction(4403, 'something_else')).toBe('forbidden')
    // The reason matters only with 4403.
    expect(closeAction(1000, updateRefused.reason)).toBe('reconnect')
  })

  test('an account that must set its password first is sent to do so, not told it has no right', () => {
    const { passwordChangeRequired } = CloseEvents
    expect(closeAction(passwordChangeRequired.code, passwordChangeRequired.reason)).toBe(
      'password-change-required',
    )
    expect(message(zhCN, closeMessageKey('password-change-required'))).toBe('请先设置新密码')
  })

  test('each refusal has its own message; classified shows the 机要 message', () => {
    const zh = (action: Parameters<typeof closeMessageKey>[0]): unknown =>
      message(zhCN, closeMessageKey(action))
    expect(zh('forbidden')).toBe('无权访问该文档')
    expect(zh('classified-refused')).toBe(CLASSIFIED_REFUSAL)
    expect(zh('update-refused')).toMatch(/批注/)
    expect(zh('update-refused')).not.toBe(zh('forbidden'))
    for (const action of [
      'session-ended',
      'deactivated',
      'forbidden',
      'update-refused',
      'classified-refused',
      'unknown-room',
    ] as const) {
      expect(typeof zh(action)).toBe('string')
      expect(typeof message(en, closeMessageKey(action))).toBe('string')
    }
    expect(message(en, closeMessageKey('classified-refused'))).toMatch(/机要/)
  })
})

describe('a refusal of this device’s changes stops reconnecting', () => {
  test('1009 (changes too large for the relay) is final, with its own message, like a 4403 refusal', () => {
    expect(closeAction(CloseEvents.messageTooBig.code, CloseEvents.messageTooBig.reason)).toBe(
      'too-large',
    )
    expect(message(zhCN, closeMessageKey('too-large'))).toMatch(/32 MB/)
    expect(typeof message(en, closeMessageKey('too-large'))).toBe('string')
    // Network trouble, a relay restart or a resync request keep reconnecting.
    for (const code of [1001, 1006, CloseEvents.resync.code, CloseEvents.rateLimited.code]) {
      expect(closeAction(code)).toBe('reconnect')
    }
  })
})
