/** Admin error texts read as plain Chinese: the relay's detail without its English tail or code. */
import { describe, expect, test } from 'vitest'
import { ApiError } from '../../../../renderer/src/api/errors'
import { describeAdminError } from '../../../../renderer/src/features/admin/describeError'

const t = (key: string): string =>
  ({
    'errors.conflict': '与现有数据冲突（例如用户名已被占用）',
    'errors.forbidden': '无权执行此操作',
    'errors.unknown': '操作失败，请重试',
  })[key] ?? key

describe('admin error texts', () => {
  test('a conflict reads as the Chinese detail alone, without “(code taken)”', () => {
    const error = new ApiError('conflict', '单位代码 370100 已存在 (code taken)', 0)
    expect(describeAdminError(error, t, 'zh-CN')).toBe('单位代码 370100 已存在')
    expect(describeAdminError(error, t, 'en')).toBe(
      '与现有数据冲突（例如用户名已被占用）: code taken',
    )
  })

  test('a refusal without Chinese detail falls back to the generic text', () => {
    const error = new ApiError('forbidden', 'outside your scope', 0)
    expect(describeAdminError(error, t, 'zh-CN')).toBe('无权执行此操作')
    expect(describeAdminError(new Error('boom'), t, 'zh-CN')).toBe('操作失败，请重试')
  })

  test('a machine code before the message is dropped', () => {
    const error = new ApiError(
      'conflict',
      'conflict: 该单位下仍有人员，不能删除 (unit not empty)',
      0,
    )
    expect(describeAdminError(error, t, 'zh-CN')).toBe('该单位下仍有人员，不能删除')
  })
})
