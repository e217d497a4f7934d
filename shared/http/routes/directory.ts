/** `/api/v1/directory`: province-wide search of the 通讯录. */
import { z } from 'zod'
import { defineRoute, queryNumber } from '../contract'
import { EntityId } from './org'

/** A directory entry (通讯录). */
export const DirectoryEntry = z.object({
  id: z.string(),
  displayName: z.string(),
  username: z.string(),
  pinyin: z.string(),
  initials: z.string(),
  posts: z
    .array(z.object({ unitId: z.string(), unitName: z.string(), title: z.string() }))
    .readonly(),
  /** Null when the account's setting hides it from the viewer. */
  phone: z.string().nullable(),
  /** The account's device keys in force (SM2, uncompressed hex): anyone verifies its signatures. */
  publicKeys: z.array(z.string()).readonly().optional(),
})
export type DirectoryEntry = z.infer<typeof DirectoryEntry>

/** `GET /api/v1/directory/search?q=&unitId=&limit=` → 200 active accounts matching, phones as the viewer may see them. */
export const searchDirectory = defineRoute({
  method: 'GET',
  path: '/api/v1/directory/search',
  query: z.object({
    q: z.string().max(64).default(''),
    /** Within this unit's subtree. */
    unitId: EntityId.optional(),
    limit: queryNumber().int().min(1).max(200).default(50),
  }),
  status: 200,
  response: z.object({ entries: z.array(DirectoryEntry) }),
})
