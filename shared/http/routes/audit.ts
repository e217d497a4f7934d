/** `/api/v1/admin/audit`: the viewer, the CSV export and chain verification. System admins only. */
import { z } from 'zod'
import { defineDownload, defineRoute, queryNumber } from '../contract'

/** One audit entry. */
export const ApiAuditEntry = z.object({
  id: z.number(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  hash: z.string(),
})
export type ApiAuditEntry = z.infer<typeof ApiAuditEntry>

/** The filters of GET /admin/audit and /admin/audit.csv, and a page. */
export const AuditQuery = z.object({
  actorId: z.string().max(64).optional(),
  /** Only entries by people of this unit or a unit below it. */
  unitId: z.string().max(64).optional(),
  /** An action or an action prefix (`user.` matches every account action). */
  action: z.string().max(64).optional(),
  /** Free text matched in the actor name, target and detail. */
  q: z.string().max(64).optional(),
  /** Epoch milliseconds. */
  from: queryNumber().int().optional(),
  to: queryNumber().int().optional(),
  limit: queryNumber().int().min(1).max(500).default(50),
  offset: queryNumber().int().min(0).default(0),
})

/** A problem verification found in the chain. */
export const AuditChainProblem = z.object({
  /** The seq of the row where the problem shows (the first one affected). */
  id: z.number(),
  /**
   * - `altered`: the row's content does not match its hash;
   * - `removed`: rows before this one are missing (a gap in seq);
   * - `relinked`: the row does not chain to the row before it;
   * - `truncated`: this row and every later one a signed checkpoint counted are missing;
   * - `checkpoint_mismatch`: the row a signed checkpoint ends at has another hash than it signed;
   * - `bad_checkpoint`: a checkpoint claims the relay's key but its signature fails;
   * - `key_record`: the database's record of where keying began differs from the signed one.
   */
  problem: z.enum([
    'altered',
    'removed',
    'relinked',
    'truncated',
    'checkpoint_mismatch',
    'bad_checkpoint',
    'key_record',
  ]),
})
export type AuditChainProblem = z.infer<typeof AuditChainProblem>

/** The result of a verification of the audit chain. */
export const AuditVerifyReport = z.object({
  ok: z.boolean(),
  checked: z.number(),
  /** Problems in seq order; the first names the first affected entry. */
  problems: z.array(AuditChainProblem).readonly(),
  /** The checkpoint the chain was checked against. */
  checkpoint: z
    .object({
      count: z.number(),
      at: z.string(),
      /** `database` or the file it was read from. */
      source: z.string(),
    })
    .nullable(),
  /** What did not fail verification but deserves a look (no checkpoint, untrusted signer, …). */
  warnings: z.array(z.string()).readonly(),
})
export type AuditVerifyReport = z.infer<typeof AuditVerifyReport>

/** `GET /api/v1/admin/audit` → 200 a page of entries, newest first, and the total. */
export const listAudit = defineRoute({
  method: 'GET',
  path: '/api/v1/admin/audit',
  query: AuditQuery,
  status: 200,
  response: z.object({
    entries: z.array(ApiAuditEntry),
    total: z.number(),
    /**
     * Names of what the entries refer to by id (target, the room's document, detail's userId,
     * unitId, users, approvalId): people, units, documents and approvals, so the viewer writes
     * sentences with names. Ids without a name are left out.
     */
    names: z.record(z.string(), z.string()).optional(),
  }),
})

/** `GET /api/v1/admin/audit.csv` → every entry the filters match, as CSV (the export is audited). */
export const exportAuditCsv = defineDownload({
  method: 'GET',
  path: '/api/v1/admin/audit.csv',
  query: AuditQuery,
  contentType: 'text/csv; charset=utf-8',
})

/** `GET /api/v1/admin/audit/verify` → 200 the verification of the whole chain (audited). */
export const verifyAudit = defineRoute({
  method: 'GET',
  path: '/api/v1/admin/audit/verify',
  status: 200,
  response: AuditVerifyReport,
})
