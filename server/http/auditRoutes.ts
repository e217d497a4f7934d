/** /api/v1/admin/audit: the viewer, CSV export and chain verification. System admins only. */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { ApiAuditEntry } from '../../shared/api'
import type { AuditRow } from '../storage/AuditStore'
import { toCsv } from '../imports/tabular'
import { forbidden } from '../errors'
import type { HttpContext } from './context'
import { actorOf, parseBody } from './context'

const Filter = z.object({
  actorId: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  q: z.string().max(64).optional(),
  from: z.coerce.number().int().optional(),
  to: z.coerce.number().int().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})

function toApiEntry(row: AuditRow): ApiAuditEntry {
  let detail: Record<string, unknown> = {}
  try {
    detail = JSON.parse(row.detail) as Record<string, unknown>
  } catch {
    detail = { raw: row.detail }
  }
  return {
    id: Number(row.seq),
    at: new Date(Number(row.at)).toISOString(),
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    target: row.target,
    detail,
    ip: row.ip,
    hash: row.hash,
  }
}

/** Registers the audit routes. */
export function auditRoutes(app: FastifyInstance, context: HttpContext): void {
  const auditor = async (request: FastifyRequest) => {
    const actor = await actorOf(context, request)
    if (!actor.subject.roles.includes('sysadmin')) {
      await context.audit.record({ ...actor.event, action: 'audit.denied', target: request.url })
      throw forbidden('只有系统管理员可以查看审计日志 (system administrators only)')
    }
    return actor
  }

  app.get('/api/v1/admin/audit', async (request) => {
    await auditor(request)
    const f = parseBody(Filter, request.query)
    const { rows, total } = await context.audit.search(
      { actorId: f.actorId, action: f.action, text: f.q, from: f.from, to: f.to },
      f.limit,
      f.offset,
    )
    return { entries: rows.map(toApiEntry), total }
  })

  app.get('/api/v1/admin/audit.csv', async (request, reply) => {
    const actor = await auditor(request)
    const f = parseBody(Filter, request.query)
    const { rows } = await context.audit.search(
      { actorId: f.actorId, action: f.action, text: f.q, from: f.from, to: f.to },
      100_000,
      0,
    )
    await context.audit.record({
      ...actor.event,
      action: 'audit.export',
      detail: { rows: rows.length },
    })
    const csv = toCsv([
      ['序号', '时间', '操作人', '操作人ID', '动作', '对象', '详情', 'IP', 'SM3'],
      ...rows.map((r) => {
        const e = toApiEntry(r)
        return [
          e.id,
          e.at,
          e.actorName,
          e.actorId,
          e.action,
          e.target,
          JSON.stringify(e.detail),
          e.ip,
          e.hash,
        ]
      }),
    ])
    return reply
      .type('text/csv; charset=utf-8')
      .header(
        'Content-Disposition',
        `attachment; filename*=UTF-8''${encodeURIComponent('审计日志.csv')}`,
      )
      .send(csv)
  })

  app.get('/api/v1/admin/audit/verify', async (request) => {
    const actor = await auditor(request)
    const report = await context.audit.verify()
    await context.audit.record({
      ...actor.event,
      action: 'audit.verify',
      detail: { ok: report.ok, checked: report.checked },
    })
    return report
  })
}
