/** API shapes of stored versions: rows with author ids become DocumentVersion with names. */
import type { Storage } from '../storage/Storage'
import type { VersionMeta } from '../storage/VersionStore'
import type { ApiPerson, DocumentVersion, VersionKind } from '../../shared/api'

const VERSION_KINDS: ReadonlySet<string> = new Set(['auto', 'named', 'restore'])

function isVersionKind(value: string): value is VersionKind {
  return VERSION_KINDS.has(value)
}

/** @returns the user ids of a version's `authors` JSON column. */
export function parseIds(json: string): string[] {
  const value: unknown = JSON.parse(json)
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

/** @returns the display names of these users (unknown ids are left out). */
export async function displayNames(
  storage: Storage,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>()
  for (const id of new Set(ids)) {
    const user = await storage.users.byId(id)
    if (user !== null) {
      names.set(id, user.display_name)
    }
  }
  return names
}

/** @returns the API shape of version rows, with the names of their authors and creators. */
export async function describeVersions(
  storage: Storage,
  rows: readonly VersionMeta[],
): Promise<DocumentVersion[]> {
  const ids = rows.flatMap((r) => [
    ...parseIds(r.authors),
    ...(r.created_by === null ? [] : [r.created_by]),
  ])
  const people = await displayNames(storage, ids)
  const person = (userId: string): ApiPerson => ({
    userId,
    displayName: people.get(userId) ?? userId,
  })
  return rows.map((r) => ({
    id: r.id,
    documentId: r.document_id,
    kind: isVersionKind(r.kind) ? r.kind : 'auto',
    name: r.name,
    authors: parseIds(r.authors).map(person),
    createdBy: r.created_by === null ? null : person(r.created_by),
    restoredFrom: r.restored_from,
    createdAt: new Date(Number(r.created_at)).toISOString(),
  }))
}
