/**
 * Hot queries (booking, a session's check, a document socket's access), built and compiled by
 * Kysely once per dialect (or database) and shape, then run with each call's parameters: building
 * a query's operation tree and compiling it to SQL cost more CPU than running it on SQLite (a
 * profile of a burst of 200 bookings). The first call of a shape checks that the compiled query's
 * parameters are exactly the ones the caller lists, in order, so a list that does not match the
 * query fails loudly instead of binding a wrong value.
 *
 * @example
 *   const rows = await compiledQueries(dialect).run(db, 'room.byId', [id], () =>
 *     db.selectFrom('meeting_rooms').selectAll().where('id', '=', id),
 *   )
 */
import { isDeepStrictEqual } from 'node:util'
import { CompiledQuery } from 'kysely'
import type { Compilable, QueryResult } from 'kysely'
import type { Dialect } from './database'

/** What runs a compiled query: a Kysely instance or transaction, whatever its tables. */
export interface Runner {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>
}

/** Compiled SQL by shape name, for one dialect. */
export class CompiledQueries {
  private readonly sql = new Map<string, string>()

  /**
   * Runs the query of shape `name` with `parameters` (those `build()` binds, in its order).
   * @param build builds the query with this call's values (called on the shape's first use only)
   * @returns the rows
   * @throws Error when the parameters are not those the built query binds
   */
  async run<R>(
    db: Runner,
    name: string,
    parameters: readonly unknown[],
    build: () => Compilable<R>,
  ): Promise<R[]> {
    let text = this.sql.get(name)
    if (text === undefined) {
      const compiled = build().compile()
      if (!isDeepStrictEqual([...compiled.parameters], [...parameters])) {
        throw new Error(`compiled query ${name}: its parameters are not those listed`)
      }
      text = compiled.sql
      this.sql.set(name, text)
    }
    const query: CompiledQuery<R> = CompiledQuery.raw(text, [...parameters])
    const result = await db.executeQuery(query)
    return result.rows
  }
}

const byDialect: Record<Dialect, CompiledQueries> = {
  sqlite: new CompiledQueries(),
  postgres: new CompiledQueries(),
}

/** @returns the compiled queries of a dialect (shared by every store on it). */
export function compiledQueries(dialect: Dialect): CompiledQueries {
  return byDialect[dialect]
}

/** A Kysely instance or transaction, as far as its adapter (one per database) goes. */
export interface AdapterOwner {
  getExecutor(): { readonly adapter: object }
}

/** The compiled queries by Kysely adapter, for stores that are not told their dialect. */
const byAdapter = new WeakMap<object, CompiledQueries>()

/** @returns the compiled queries of `db`'s database (its transactions share its adapter). */
export function compiledQueriesOf(db: AdapterOwner): CompiledQueries {
  const adapter = db.getExecutor().adapter
  let queries = byAdapter.get(adapter)
  if (queries === undefined) {
    queries = new CompiledQueries()
    byAdapter.set(adapter, queries)
  }
  return queries
}
