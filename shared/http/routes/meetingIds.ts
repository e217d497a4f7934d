/** The id schema of meetings and rooms (room names and URLs carry them). */
import { z } from 'zod'

/** An id in a path or a body (room names and URLs carry them). */
export const MeetingIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'id: 1–64 letters, digits, _ or -')
