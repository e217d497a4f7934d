import { describe, expect, test } from 'vitest'
import { ApiError, errorMessage, parseErrorBody } from '../../../../renderer/src/api/errors'
import { conflictSuggestions } from '../../../../renderer/src/features/meetings/meetingsApi'
import { en, zhCN } from '../../../../renderer/src/i18n/messages'

describe('meeting errors as the user reads them', () => {
  test('each sign-in refusal has its own Chinese message', () => {
    const texts = (['token_expired', 'bad_token', 'checkin_closed', 'not_invited'] as const).map(
      (code) => {
        const { key } = errorMessage(new ApiError(code, '', 400))
        const [, , name] = key.split('.')
        expect(key.startsWith('meetings.errors.')).toBe(true)
        expect(en.meetings.errors[name as keyof typeof en.meetings.errors]).toBeTruthy()
        return zhCN.meetings.errors[name as keyof typeof zhCN.meetings.errors]
      },
    )
    expect(texts[0]).toContain('过期')
    expect(texts[1]).toContain('无效')
    expect(texts[2]).toContain('签到时间')
    expect(new Set(texts).size).toBe(4)
  })

  test('a refused booking keeps its suggestions; malformed ones are dropped', () => {
    const error = parseErrorBody(409, {
      error: {
        code: 'room_conflict',
        message: '会议室已被预订',
        details: {
          suggestions: [
            { start: '2026-12-08T10:00:00+08:00', end: '2026-12-08T11:00:00+08:00', roomId: 'r1' },
            { start: 5 },
          ],
        },
      },
    })
    expect(error.code).toBe('room_conflict')
    expect(conflictSuggestions(error)).toEqual([
      { start: '2026-12-08T10:00:00+08:00', end: '2026-12-08T11:00:00+08:00', roomId: 'r1' },
    ])
    expect(conflictSuggestions(new ApiError('conflict', '', 409))).toBeNull()
  })
})
