/** How versions are named and ordered on screen. */
import type { DocumentVersion } from '../../../../../../shared/api'

/** Translates a key with parameters (vue-i18n's `t`). */
export type Translate = (key: string, params?: Record<string, unknown>) => string

/** @returns the title of a version: its name, or a label for an unnamed automatic version. */
export function versionTitle(version: DocumentVersion, t: Translate): string {
  return version.name ?? t('versions.autoName')
}

/** @returns who made the version: "X 保存" / "X 恢复", or '' for automatic versions. */
export function versionMaker(version: DocumentVersion, t: Translate): string {
  if (version.createdBy === null) {
    return ''
  }
  const key = version.kind === 'restore' ? 'versions.restoredBy' : 'versions.savedBy'
  return t(key, { name: version.createdBy.displayName })
}

/**
 * @returns the two versions ordered older first (by time, then by list position: the list is
 *   newest first), so a comparison always shows what changed going forward.
 */
export function inOrder(
  a: DocumentVersion,
  b: DocumentVersion,
  list: readonly DocumentVersion[],
): [DocumentVersion, DocumentVersion] {
  const byTime = a.createdAt.localeCompare(b.createdAt)
  if (byTime !== 0) {
    return byTime < 0 ? [a, b] : [b, a]
  }
  return list.indexOf(a) > list.indexOf(b) ? [a, b] : [b, a]
}
