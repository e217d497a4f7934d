/** `/api/v1/users`: the people picker. */
import { z } from 'zod'
import { defineRoute } from '../contract'

/** One row of GET /users (people picker). */
export const UserSummary = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  /** The unit of the person's primary post, when they hold one. */
  unitName: z.string().nullable().optional(),
  /** The title of that post (职务). */
  post: z.string().nullable().optional(),
})
export type UserSummary = z.infer<typeof UserSummary>

/**
 * `GET /api/v1/users?q=` → 200 up to 20 active users: matches by pinyin, initials, name, post or unit
 * (as the 通讯录 finds them) first, then on any part of the username or display name; each with the
 * unit and post of their primary post.
 */
export const searchUsers = defineRoute({
  method: 'GET',
  path: '/api/v1/users',
  query: z.object({ q: z.string().max(64).optional() }),
  status: 200,
  response: z.object({ users: z.array(UserSummary) }),
})
