import { describe, expect, test } from 'vitest'
import type { ApiAccount } from '../../../../shared/api'
import {
  accountFormProblem,
  createBody,
  emptyAccountForm,
  formFromAccount,
  updateBody,
} from '../../../../renderer/src/features/admin/accountForm'
import { auditQuery, actionKey } from '../../../../renderer/src/features/admin/auditQuery'
import { routeUrl } from '../../../../shared/http/contract'
import { exportAuditCsv, listAudit } from '../../../../shared/http/routes/audit'

const account: ApiAccount = {
  id: 'u1',
  username: 'zhang.wei',
  displayName: '张伟',
  roles: ['drafter'],
  unitId: 'lx',
  mustChangePassword: false,
  active: true,
  phone: '13800000000',
  phoneVisibility: 'public',
  posts: [
    { unitId: 'lx', title: '科员', primary: true },
    { unitId: 'sz', title: '联络员', primary: false },
  ],
  lockedUntil: null,
  createdAt: '2026-01-01T00:00:00.000Z',
}

describe('the account form', () => {
  test('a new account is checked like the relay checks it, before anything is sent', () => {
    const form = { ...emptyAccountForm('lx'), username: 'bad name', displayName: '张伟' }
    expect(accountFormProblem(form, 'create')).toBe('admin.usernameInvalid')
    form.username = 'zhang.wei'
    expect(accountFormProblem(form, 'create')).toBeNull()
    form.password = 'zhang.wei#A1'
    expect(accountFormProblem(form, 'create')).toBe('errors.passwordContainsUsername')
    form.password = ''
    form.phone = 'call me'
    expect(accountFormProblem(form, 'create')).toBe('admin.phoneInvalid')
    form.phone = ''
    form.extraPosts.push({ unitId: null, title: '联络员' })
    expect(accountFormProblem(form, 'create')).toBe('admin.extraPostIncomplete')
    form.extraPosts[0]!.unitId = 'lx'
    expect(accountFormProblem(form, 'create')).toBe('admin.extraPostSameUnit')
  })

  test('creates with the primary post first and 工作人员 when no title is given', () => {
    const form = { ...emptyAccountForm('lx'), username: 'li.na', displayName: ' 李娜 ' }
    form.extraPosts.push({ unitId: 'sz', title: '联络员' })
    expect(createBody(form)).toEqual({
      username: 'li.na',
      displayName: '李娜',
      roles: [],
      unitId: 'lx',
      posts: [
        { unitId: 'lx', title: '工作人员' },
        { unitId: 'sz', title: '联络员' },
      ],
    })
  })

  test('an edit round-trips the account: posts, 兼职, phone and its visibility', () => {
    const form = formFromAccount(account)
    expect(form.postTitle).toBe('科员')
    expect(form.extraPosts).toEqual([{ unitId: 'sz', title: '联络员' }])
    expect(accountFormProblem(form, 'edit')).toBeNull()
    form.phone = ''
    expect(updateBody(form)).toEqual({
      displayName: '张伟',
      roles: ['drafter'],
      phone: null,
      phoneVisibility: 'public',
      posts: [
        { unitId: 'lx', title: '科员' },
        { unitId: 'sz', title: '联络员' },
      ],
    })
  })
})

describe('the audit filters', () => {
  test('become the query string of the list and the CSV export', () => {
    expect(
      routeUrl(
        listAudit,
        {},
        auditQuery(
          { action: ' user. ', actorId: 'u1', unitId: 'n1', text: '', range: [1000, 2000] },
          { limit: 50, offset: 100 },
        ),
      ),
    ).toBe(
      '/api/v1/admin/audit?action=user.&actorId=u1&unitId=n1&from=1000&to=2000&limit=50&offset=100',
    )
    expect(
      routeUrl(
        exportAuditCsv,
        {},
        auditQuery({ action: '', actorId: null, unitId: null, text: '张伟', range: null }),
      ),
    ).toBe('/api/v1/admin/audit.csv?q=%E5%BC%A0%E4%BC%9F')
  })

  test('name actions by i18n keys without dots', () => {
    expect(actionKey('auth.login_failed')).toBe('audit.actions.auth_login_failed')
    expect(actionKey('user.')).toBe('audit.actions.user_')
  })
})
