/** /api/v1/admin/imports: validate a CSV/XLSX of accounts, then commit it with progress. */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { badRequest } from '../errors'
import type { HttpContext } from './context'
import { parseBody } from './context'
import { adminActor } from './adminRoutes'

const IdParams = z.object({ id: z.string().min(1).max(64) })
const UploadQuery = z.object({ format: z.enum(['csv', 'xlsx']) })
/** Largest import file accepted (bytes): 100k rows of CSV fit easily. */
const MAX_IMPORT_BYTES = 32 * 1024 * 1024

/** Registers the import routes. */
export function importRoutes(app: FastifyInstance, context: HttpContext): void {
  app.addContentTypeParser(
    [
      'application/octet-stream',
      'text/csv',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ],
    { parseAs: 'buffer', bodyLimit: MAX_IMPORT_BYTES },
    (_request, body, done) => done(null, body),
  )

  app.post('/api/v1/admin/imports', { bodyLimit: MAX_IMPORT_BYTES }, async (request) => {
    const actor = await adminActor(context, request)
    const { format } = parseBody(UploadQuery, request.query)
    if (!Buffer.isBuffer(request.body)) {
      throw badRequest('请以文件内容作为请求体上传 (send the file as the request body)')
    }
    return context.imports.validate(actor, request.body, format)
  })

  app.post('/api/v1/admin/imports/:id/commit', async (request, reply) => {
    const actor = await adminActor(context, request)
    return reply
      .code(202)
      .send(await context.imports.commit(actor, parseBody(IdParams, request.params).id))
  })

  app.get('/api/v1/admin/imports/:id', async (request) => {
    const actor = await adminActor(context, request)
    return context.imports.status(actor, parseBody(IdParams, request.params).id)
  })

  app.get('/api/v1/admin/imports/:id/errors.csv', async (request, reply) => {
    const actor = await adminActor(context, request)
    const csv = await context.imports.errorReport(actor, parseBody(IdParams, request.params).id)
    return reply
      .type('text/csv; charset=utf-8')
      .header(
        'Content-Disposition',
        `attachment; filename*=UTF-8''${encodeURIComponent('导入错误报告.csv')}`,
      )
      .send(csv)
  })

  app.post('/api/v1/admin/imports/:id/codes.csv', async (request, reply) => {
    const actor = await adminActor(context, request)
    const csv = await context.imports.takeCodes(actor, parseBody(IdParams, request.params).id)
    return reply
      .type('text/csv; charset=utf-8')
      .header(
        'Content-Disposition',
        `attachment; filename*=UTF-8''${encodeURIComponent('激活码.csv')}`,
      )
      .send(csv)
  })
}
