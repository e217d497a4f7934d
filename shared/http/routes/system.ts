/** Routes of the relay itself. */
import { z } from 'zod'
import { defineRoute } from '../contract'

/** `GET /api/v1/health` → 200 while the node serves (DESIGN.md §6). */
export const health = defineRoute({
  method: 'GET',
  path: '/api/v1/health',
  status: 200,
  response: z.object({ status: z.literal('ok') }),
})
