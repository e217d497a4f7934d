/** English texts of Word/PDF import and export; keys mirror zhCN.ts. */
import type { GongwenIoMessages } from './messages'

export const gongwenIoEn: GongwenIoMessages = {
  menu: {
    label: 'Word / PDF',
    importDocx: 'Import Word document…',
    exportDocx: 'Export Word (.docx)',
    exportPdf: 'Export PDF / print…',
  },
  export: {
    working: 'Building the Word file…',
    saved: 'Exported {name}',
    cancelled: 'Saving cancelled',
    failed: 'Export failed; try again',
    notReady: 'The document is still loading; export again in a moment',
  },
  print: {
    back: 'Back to editing',
    exportPdf: 'Export PDF',
    printWeb: 'Print / save as PDF',
    webHint:
      'In the print dialog choose “Save as PDF” as the destination to keep a PDF file; leave margins at “Default”.',
    loading: 'Preparing the print layout…',
    offline: 'Not connected: laid out from the copy on this device, which may not be the latest',
    unavailable: 'This document cannot be opened',
    saved: 'PDF saved',
    cancelled: 'Saving cancelled',
    failed: 'Could not create the PDF; try again',
    pages: '{n} pages',
  },
  import: {
    title: 'Import a Word document',
    reading: 'Reading “{name}”…',
    converting: 'Converting…',
    tooLarge: 'The file is too large ({size}); import Word documents of at most {max}',
    notDocx:
      'Not a recognised file: choose a .docx saved by Word 2007 or later (save .doc or .wps files as .docx first)',
    damaged: 'The file is damaged or not a valid Word document',
    unpackedTooLarge:
      'The file unpacks to {size}, over the limit of {max}; it may be a forged “zip bomb” and was refused',
    unpackedMismatch:
      'The file unpacks to more than it declares; it may be a forged “zip bomb” and was refused',
    empty: 'The document has no body text to import',
    elements:
      'These document elements were recognised and fill the empty fields of the element form (not the body):',
    summary: '{paragraphs} paragraphs, {headings} headings, {tables} tables, {lists} lists',
    useTitle: 'Use the title in the file: {title}',
    flowSkipped: '{fields}: filled in by the approval flow, not imported',
    imagesDropped: '{n} images were not imported (document bodies hold no images)',
    otherWarnings: '{n} formatting details could not be kept',
    asNew: 'Import as a new document (recommended)',
    asNewHint: 'Creates a new document; this one stays as it is',
    replace: 'Replace this body',
    replaceHint: 'The current body is replaced; Undo or the version history bring it back',
    noWrite: 'You may not change this body; import as a new document instead',
    confirmReplace: 'Replace the current body with the content of “{name}”?',
    confirmTitle: 'Replace body',
    start: 'Import',
    cancel: 'Cancel',
    creating: 'Creating the new document…',
    writing: 'Writing the body and waiting for the server…',
    done: 'Imported “{name}”',
    failed: 'Import failed; try again',
    offline: 'Not connected: a new document cannot be created now; try again when online',
    notConfirmed:
      'The server has not confirmed everything yet; it is kept on this device and syncs when online',
  },
}
