import { describe, expect, test } from 'vitest'
import { parseRoom, docRoom } from '../../shared/protocol/rooms'
import { roomAccess, canEditBody } from '../../shared/domain/permissions'
import { passwordProblem } from '../../shared/domain/passwordPolicy'
import { CreateUserRequest } from '../../shared/http/routes/accounts'
import { SetMemberRequest } from '../../shared/http/routes/members'

describe('room names', () => {
  test('valid names parse into kind and id', () => {
    expect(parseRoom('doc:abc_DEF-123')).toEqual({ kind: 'doc', id: 'abc_DEF-123' })
    expect(parseRoom(docRoom('x1'))).toEqual({ kind: 'doc', id: 'x1' })
    expect(parseRoom('directory:370000')).toEqual({ kind: 'directory', id: '370000' })
  })

  test('unknown kinds, empty ids and odd characters are refused', () => {
    for (const name of [
      'doc:',
      ':x',
      'files:1',
      'doc:a/b',
      'doc:../x',
      'doc',
      'doc:a:b',
      `doc:${'x'.repeat(65)}`,
    ]) {
      expect(parseRoom(name)).toBeNull()
    }
  })
})

describe('room access', () => {
  const subject = { userId: 'u1', roles: [] as const }

  test('owners and editors write a document; commenters write comments only; readers only read', () => {
    const doc = { kind: 'doc', id: 'd' } as const
    expect(roomAccess(doc, { ...subject, memberRole: 'owner' })).toBe('write')
    expect(roomAccess(doc, { ...subject, memberRole: 'editor' })).toBe('write')
    expect(roomAccess(doc, { ...subject, memberRole: 'commenter' })).toBe('comment')
    expect(roomAccess(doc, { ...subject, memberRole: 'reader' })).toBe('read')
    expect(roomAccess(doc, { ...subject, memberRole: null })).toBe('none')
    expect(canEditBody('commenter')).toBe(false)
  })

  test('an inbox is readable by its owner alone and never writable', () => {
    expect(roomAccess({ kind: 'inbox', id: 'u1' }, { ...subject, memberRole: null })).toBe('read')
    expect(roomAccess({ kind: 'inbox', id: 'u2' }, { ...subject, memberRole: null })).toBe('none')
    expect(roomAccess({ kind: 'directory', id: '37' }, { ...subject, memberRole: null })).toBe(
      'read',
    )
  })
})

describe('password policy', () => {
  test('needs 8 characters, 3 classes, and not the username', () => {
    expect(passwordProblem('Ab1!', 'zhang')).toBe('too_short')
    expect(passwordProblem('abcdefgh1', 'zhang')).toBe('too_few_classes')
    expect(passwordProblem('Zhang#2026x', 'zhang')).toBe('contains_username')
    expect(passwordProblem('Shandong#2026', 'zhang')).toBeNull()
  })

  test('the create-user schema applies the policy to a given password', () => {
    expect(
      CreateUserRequest.safeParse({ username: 'li', displayName: '李', password: 'weak' }).success,
    ).toBe(false)
    expect(CreateUserRequest.safeParse({ username: 'li', displayName: '李' }).success).toBe(true)
    expect(CreateUserRequest.safeParse({ username: 'li si', displayName: '李' }).success).toBe(
      false,
    )
    expect(SetMemberRequest.safeParse({ role: 'owner' }).success).toBe(false)
  })
})
