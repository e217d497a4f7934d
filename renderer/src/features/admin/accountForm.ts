/**
 * The account form of 账号管理 (create and edit): its values, the checks made before sending, and
 * the request bodies of POST /admin/users and PATCH /admin/users/<id>. An account has one primary
 * unit with its post (主职务) and any number of part-time posts (兼职) in other units.
 */
import type { z } from 'zod'
import type { ApiAccount } from '../../../../shared/api'
import type {
  CreateUserRequest,
  UpdateAccountRequest,
} from '../../../../shared/http/routes/accounts'
import type { PhoneVisibility } from '../../../../shared/domain/org'
import type { AccountRole } from '../../../../shared/domain/roles'
import { passwordProblem } from '../../../../shared/domain/passwordPolicy'
import { passwordRuleKey } from '../../api/errors'

/** A part-time post being edited (the unit may not be picked yet). */
export interface PostDraft {
  unitId: string | null
  title: string
}

/** The fields of the form. */
export interface AccountFormValues {
  username: string
  displayName: string
  /** The primary unit. */
  unitId: string | null
  /** The title of the post in the primary unit. */
  postTitle: string
  /** 兼职: posts in other units. */
  extraPosts: PostDraft[]
  roles: AccountRole[]
  phone: string
  phoneVisibility: PhoneVisibility
  /** Only when creating; empty for an activation code. */
  password: string
}

/** The title the relay gives a primary post when none is named. */
export const DEFAULT_POST_TITLE = '工作人员'

const USERNAME = /^[a-zA-Z0-9._-]{2,64}$/
const PHONE = /^[0-9+\-() ]{5,20}$/

/** @returns an empty form, placed in `unitId`. */
export function emptyAccountForm(unitId: string | null): AccountFormValues {
  return {
    username: '',
    displayName: '',
    unitId,
    postTitle: '',
    extraPosts: [],
    roles: [],
    phone: '',
    phoneVisibility: 'unit',
    password: '',
  }
}

/** @returns the form filled from an account. */
export function formFromAccount(account: ApiAccount): AccountFormValues {
  const primary = account.posts.find((p) => p.primary)
  return {
    username: account.username,
    displayName: account.displayName,
    unitId: account.unitId,
    postTitle: primary?.title ?? '',
    extraPosts: account.posts
      .filter((p) => p !== primary)
      .map((p) => ({ unitId: p.unitId, title: p.title })),
    roles: [...account.roles],
    phone: account.phone ?? '',
    phoneVisibility: account.phoneVisibility,
    password: '',
  }
}

/** @returns the i18n key of the first problem of the form, or null when it may be sent. */
export function accountFormProblem(
  values: AccountFormValues,
  mode: 'create' | 'edit',
): string | null {
  if (mode === 'create' && !USERNAME.test(values.username)) {
    return 'admin.usernameInvalid'
  }
  if (values.displayName.trim() === '') {
    return 'admin.displayNameRequired'
  }
  if (values.phone.trim() !== '' && !PHONE.test(values.phone.trim())) {
    return 'admin.phoneInvalid'
  }
  if (values.extraPosts.some((p) => p.unitId === null || p.title.trim() === '')) {
    return 'admin.extraPostIncomplete'
  }
  if (values.extraPosts.some((p) => p.unitId === values.unitId)) {
    return 'admin.extraPostSameUnit'
  }
  if (mode === 'create' && values.password !== '') {
    const problem = passwordProblem(values.password, values.username)
    if (problem !== null) {
      return passwordRuleKey(problem)
    }
  }
  return null
}

/** @returns the posts to send: the primary one first, then the part-time ones. */
export function postsOf(values: AccountFormValues): { unitId: string; title: string }[] {
  const posts: { unitId: string; title: string }[] = []
  if (values.unitId !== null) {
    posts.push({ unitId: values.unitId, title: values.postTitle.trim() || DEFAULT_POST_TITLE })
  }
  for (const post of values.extraPosts) {
    if (post.unitId !== null) {
      posts.push({ unitId: post.unitId, title: post.title.trim() })
    }
  }
  return posts
}

/** @returns the body of POST /admin/users. */
export function createBody(values: AccountFormValues): z.input<typeof CreateUserRequest> {
  const phone = values.phone.trim()
  return {
    username: values.username.trim(),
    displayName: values.displayName.trim(),
    roles: values.roles,
    posts: postsOf(values),
    ...(values.unitId === null ? {} : { unitId: values.unitId }),
    ...(values.password === '' ? {} : { password: values.password }),
    ...(phone === '' ? {} : { phone }),
  }
}

/** @returns the body of PATCH /admin/users/<id>. */
export function updateBody(values: AccountFormValues): z.input<typeof UpdateAccountRequest> {
  const phone = values.phone.trim()
  return {
    displayName: values.displayName.trim(),
    roles: values.roles,
    phone: phone === '' ? null : phone,
    phoneVisibility: values.phoneVisibility,
    posts: postsOf(values),
  }
}
