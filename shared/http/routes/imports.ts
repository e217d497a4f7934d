/** `/api/v1/admin/imports`: validate a CSV/XLSX of accounts, commit it with progress, take the codes. */
import { z } from 'zod'
import { defineDownload, defineRoute, defineUpload } from '../contract'
import { EntityId } from './org'

/** The Content-Types of the import formats. */
export const IMPORT_TYPES = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const

/** Largest import file accepted (bytes): 100k rows of CSV fit easily. */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024

/** One invalid row of an import file. */
export const ImportRowError = z.object({
  /** 1-based row number in the file, the header being row 1. */
  row: z.number(),
  username: z.string(),
  reason: z.string(),
})
export type ImportRowError = z.infer<typeof ImportRowError>

/** The answer of POST /admin/imports: what a commit would create. Nothing is written yet. */
export const ImportReport = z.object({
  id: z.string(),
  /** Data rows in the file. */
  total: z.number(),
  /** Rows that will be created on commit. */
  valid: z.number(),
  errors: z.array(ImportRowError).readonly(),
})
export type ImportReport = z.infer<typeof ImportReport>

/** The state of an import as the client polls it. */
export const ImportProgress = z.object({
  id: z.string(),
  status: z.enum(['validated', 'running', 'done', 'failed']),
  total: z.number(),
  done: z.number(),
})
export type ImportProgress = z.infer<typeof ImportProgress>

const ImportParams = z.object({ id: EntityId })

/**
 * `POST /api/v1/admin/imports?format=csv|xlsx` with the file as the raw body → 200 the validation
 * report; 400 for a file that cannot be read.
 */
export const uploadImport = defineUpload({
  accepts: ['application/octet-stream', IMPORT_TYPES.csv, IMPORT_TYPES.xlsx],
  maxBytes: MAX_IMPORT_BYTES,
  method: 'POST',
  path: '/api/v1/admin/imports',
  query: z.object({ format: z.enum(['csv', 'xlsx']) }),
  status: 200,
  response: ImportReport,
})

/** `POST /api/v1/admin/imports/:id/commit` → 202; the valid rows are created in the background. */
export const commitImport = defineRoute({
  method: 'POST',
  path: '/api/v1/admin/imports/:id/commit',
  params: ImportParams,
  status: 202,
  response: ImportProgress,
})

/** `GET /api/v1/admin/imports/:id` → 200 the import's progress. */
export const importStatus = defineRoute({
  method: 'GET',
  path: '/api/v1/admin/imports/:id',
  params: ImportParams,
  status: 200,
  response: ImportProgress,
})

/** `GET /api/v1/admin/imports/:id/errors.csv` → the invalid rows as CSV. */
export const importErrorsCsv = defineDownload({
  method: 'GET',
  path: '/api/v1/admin/imports/:id/errors.csv',
  params: ImportParams,
  contentType: 'text/csv; charset=utf-8',
})

/** `POST /api/v1/admin/imports/:id/codes.csv` → the activation codes as CSV, handed out once. */
export const importCodesCsv = defineDownload({
  method: 'POST',
  path: '/api/v1/admin/imports/:id/codes.csv',
  params: ImportParams,
  contentType: 'text/csv; charset=utf-8',
})
