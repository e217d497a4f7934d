/** `/api/v1/users`: the people picker. */
import { z } from 'zod'
import { defineRoute } from '../contract'

/** One row of GET /users (people picker). */
export const UserSummary = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
})
export type UserSummary = z.infer<typeof UserSummary>

/** `GET /api/v1/users?q=` → 200 up to 20 active users matching on username or display name. */
export const searchUsers = defineRoute({
  method: 'GET',
  path: '/api/v1/users',
  query: z.object({ q: z.string().max(64).optional() }),
  status: 200,
  response: z.object({ users: z.array(UserSummary) }),
})
