/** English texts of the documents screen, unit members and close messages (mounted as `docs`). */
import { CLASSIFIED_REFUSAL_EN } from '../../../../../shared/gongwen/meta'
import type { docsZhCN } from './zh-CN'
import type { MessageTable } from '../../../i18n/table'

export const docsEn: MessageTable<typeof docsZhCN> = {
  filters: {
    label: 'Scope',
    all: 'All',
    mine: 'Drafted by me',
    shared: 'Shared with me',
    docType: 'Type',
    anyType: 'All types',
    plainType: 'Plain document',
    clear: 'Clear filters',
  },
  search: {
    label: 'Full-text search',
    placeholder: 'Search titles and bodies, press Enter (shortcut /)',
    results: '{count} documents found',
    resultsFor: '“{query}”: {count} documents found',
    none: 'No document contains “{query}”',
    noneHint: 'Try another word or fewer filters. Words separated by spaces must all match.',
    noneFiltered: 'No document matches these filters',
    offline: 'Offline: searching the cached titles on this device only',
    failed: 'Search failed',
  },
  columnType: 'Type',
  emptyMine: 'You have not drafted any documents yet',
  emptyShared: 'Nobody has shared a document with you yet',
  newDialog: {
    docType: 'Document type',
    plain: 'Plain document (no template)',
    hint: 'With a type, the document starts from its GB/T 9704 template (issuing authority: your unit).',
  },
  close: {
    updateRefused:
      'As a commenter you may only add comments and suggestions, and change only your own; the server refused your change.',
    classifiedRefused: CLASSIFIED_REFUSAL_EN,
    tooLarge:
      'This device’s unsynced changes are too large (over 32 MB) for the server to take at once; export them to keep them.',
  },
  save: {
    server: 'Saved to the server',
    device: 'Saved on this device. Not connected to the server: it will sync once back online.',
    slow: 'Saved on this device and syncing to the server (slow network); the status will show “Saved” when done.',
    notOpen: 'The document is not open yet: nothing to save',
  },
  refused: {
    title: 'Changes not accepted',
    kept: 'These changes are kept on this device (saved {time}); the document was opened again as the server has it.',
    export: 'Export',
    suggest: 'Submit as suggestions',
    discard: 'Discard these changes',
    later: 'Later',
    exported: 'The refused changes were exported',
    suggested: 'Submitted as {count} suggestion(s)',
    nothingToSuggest: 'The body has no change to submit as a suggestion',
    banner: 'Changes the server did not accept are kept on this device.',
    view: 'View',
    discardConfirm: 'Discard these changes? This cannot be undone.',
  },
  unitMembers: {
    peopleTab: 'People',
    unitsTab: 'Units',
    intro:
      'A role granted to a unit reaches everyone posted in it or below it; a personal role wins over a unit role.',
    pick: 'Choose a unit',
    pickPlaceholder: 'Search units',
    grant: 'Grant',
    none: 'No unit has been granted a role',
    granted: 'Granted to {name}',
    updated: '{name} is now {role}',
    removed: 'Withdrawn from {name}',
    removeConfirm:
      'Withdraw the role of {name}? Its people lose this access (personal roles stay).',
    selectFirst: 'Choose a unit first',
    loadFailed: 'Could not load the units',
  },
}
