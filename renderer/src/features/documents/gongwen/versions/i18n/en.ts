/** English texts of the 版本 panel and the 留痕 comparison (mounted as `versions`). */
import type { versionsZhCN } from './zh-CN'
import type { MessageTable } from '../../../../../i18n/table'

export const versionsEn: MessageTable<typeof versionsZhCN> = {
  button: 'Versions',
  title: 'Version history',
  save: 'Save version',
  savePrompt: 'Name the current content as a version to compare or restore it later.',
  saveTitle: 'Save version',
  namePlaceholder: 'e.g. Draft for review',
  nameRequired: 'Enter a version name',
  nameTooLong: 'A version name has at most {max} characters',
  saved: 'Saved version “{name}”',
  kinds: {
    auto: 'Automatic',
    named: 'Named',
    restore: 'Restore',
  },
  autoName: 'Automatic version',
  savedBy: 'saved by {name}',
  restoredBy: 'restored by {name}',
  changedBy: 'Changed by: ',
  nobody: 'no changes',
  empty:
    'No versions yet. Versions are saved automatically after changes, or click “Save version”.',
  compareNow: 'Compare with now',
  compareSelected: 'Compare selected',
  selectHint: 'Tick two versions to compare them',
  selectTwo: '{count}/2 selected',
  restore: 'Restore this version',
  restoreTitle: 'Restore version',
  restoreConfirm:
    'Restore the document to “{name}”? The current content is replaced by that version as a new change in the history; every version is kept.',
  restoreAction: 'Restore',
  restored: 'Restored to “{name}”',
  loadFailed: 'Could not load the versions',
  now: 'Current content',
  compareTitle: 'Compare: {older} → {newer}',
  comparing: 'Loading both versions…',
  compareFailed: 'Could not compare these versions',
  legend: 'Changed by',
  added: '+{count} chars',
  removed: '−{count} chars',
  unknownAuthor: 'System (template etc.)',
  noChanges: 'The bodies of the two versions are the same.',
  legendHint: 'Underlined: inserted; struck out: deleted; colours show who.',
}
