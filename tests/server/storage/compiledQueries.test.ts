/**
 * Queries compiled once (server/storage/compiledQueries.ts): later calls bind their own
 * values, and a parameter list that does not match the built query is refused on first use.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sql } from 'kysely'
import { openDatabase } from '../../../server/storage/database'
import type { OpenDatabase } from '../../../server/storage/database'
import { CompiledQueries, compiledQueriesOf } from '../../../server/storage/compiledQueries'

describe('compiled queries', () => {
  let open: OpenDatabase
  let dir: string

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-compiled-'))
    open = openDatabase({ dataDir: dir, databaseUrl: null })
    await sql`CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER)`.execute(open.db)
    await sql`INSERT INTO t VALUES ('a', 1), ('b', 2), ('c', 3)`.execute(open.db)
  })

  afterAll(async () => {
    await open.db.destroy()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  const db = () => open.db.withTables<{ t: { id: string; n: number } }>()

  test('the SQL of the first call runs with each later call’s values', async () => {
    const compiled = new CompiledQueries()
    const between = (low: number, high: number) =>
      compiled.run(db(), 't.between', [low, high], () =>
        db()
          .selectFrom('t')
          .select('id')
          .where('n', '>=', low)
          .where('n', '<=', high)
          .orderBy('id'),
      )
    expect(await between(1, 2)).toEqual([{ id: 'a' }, { id: 'b' }])
    expect(await between(2, 3)).toEqual([{ id: 'b' }, { id: 'c' }])
    expect(await between(3, 3)).toEqual([{ id: 'c' }])
  })

  test('parameters listed out of the query’s order are refused, not bound to the wrong place', async () => {
    const compiled = new CompiledQueries()
    const low = 1
    const high = 2
    await expect(
      compiled.run(db(), 't.swapped', [high, low], () =>
        db().selectFrom('t').select('id').where('n', '>=', low).where('n', '<=', high),
      ),
    ).rejects.toThrow(/parameters are not those listed/)
  })
  test("a store that is not told its dialect finds its database's compiled queries, in a transaction too", async () => {
    const outside = compiledQueriesOf(db())
    expect(compiledQueriesOf(db())).toBe(outside)
    await db()
      .transaction()
      .execute(async (trx) => {
        expect(compiledQueriesOf(trx)).toBe(outside)
        const rows = await compiledQueriesOf(trx).run(trx, 't.byId', ['b'], () =>
          trx.selectFrom('t').select('n').where('id', '=', 'b'),
        )
        expect(rows).toEqual([{ n: 2 }])
      })
  })
})
