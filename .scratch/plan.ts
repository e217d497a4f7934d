import BetterSqlite3 from 'better-sqlite3'
import path from 'node:path'
import { startTestRelay } from '../tests/utils/relay'
const relay = await startTestRelay({})
const db = new BetterSqlite3(path.join(relay.dataDir, 'qilu.sqlite'), { readonly: true })
for (const q of [
  `select "users".*, "sessions"."last_seen_at" as x from "sessions" inner join "users" on "users"."id" = "sessions"."user_id" where "sessions"."token_hash" = ?`,
  `select "units"."path" from "units" where "units"."id" in (select "posts"."unit_id" from "posts" where "posts"."user_id" = ?)`,
  `select * from "meeting_occurrences" where "room_id" = ? and "start_at" < ? and "end_at" > ? order by "start_at"`,
  `select * from "meeting_occurrences" where "room_id" in (?, ?) and "start_at" < ? and "end_at" > ? order by "start_at"`,
]) {
  process.stdout.write(q.slice(0, 60) + '\n' + JSON.stringify(db.prepare('EXPLAIN QUERY PLAN ' + q).all(...q.split('?').slice(1).map(() => 'x'))) + '\n')
}
process.stdout.write(JSON.stringify(db.pragma('synchronous')) + JSON.stringify(db.pragma('journal_mode')) + '\n')
db.close()
await relay.close()
