/**
 * Worker thread owning a second better-sqlite3 connection to the relay's SQLite file. It runs the
 * update-log writes (one transaction per flush, prepared statements), compactions and WAL
 * checkpoints, which would otherwise block the relay's event loop: better-sqlite3 is synchronous,
 * and a checkpoint's fsyncs inside an INSERT stalled every room's fan-out for milliseconds.
 */
import os from 'node:os'
import { parentPort, workerData } from 'node:worker_threads'
import BetterSqlite3 from 'better-sqlite3'
import { foldRoom } from './fold'
import type { RoomLogRequest, RoomLogResponse, RoomLogValue, RoomLogWorkerData } from './protocol'
import type { RoomLogEntry, StoredRoom, WholeRoom } from './RoomLog'
import { SLICED_UPDATE_BYTES } from '../../../shared/limits'

function isWorkerData(value: unknown): value is RoomLogWorkerData {
  return typeof value === 'object' && value !== null && 'file' in value && 'checkpointMs' in value
}

if (parentPort === null || !isWorkerData(workerData)) {
  throw new Error('roomLogWorker must run as a worker thread with RoomLogWorkerData')
}
const port = parentPort
try {
  // On Linux the nice value is per thread: the log's writes and compactions yield the CPU to the
  // relay's fan-out when both want it, and still run whenever a core is free.
  os.setPriority(5)
} catch {
  // Not permitted here: run at the relay's priority.
}
const config = workerData
const db = new BetterSqlite3(config.file)
db.pragma('journal_mode = WAL')
db.pragma('synchronous = NORMAL')
db.pragma('busy_timeout = 5000')
// Checkpoints run on this thread's timer instead of inside whichever INSERT crosses the threshold.
db.pragma('wal_autocheckpoint = 0')

const insert = db.prepare<[string, Uint8Array, number]>(
  'INSERT INTO room_updates (room, data, created_at) VALUES (?, ?, ?)',
)
const selectSnapshot = db.prepare<[string], { data: Uint8Array; last_update_id: number }>(
  'SELECT data, last_update_id FROM room_snapshots WHERE room = ?',
)
const selectUpdates = db.prepare<[string, number], { id: number; data: Uint8Array }>(
  'SELECT id, data FROM room_updates WHERE room = ? AND id > ? ORDER BY id',
)
const upsertSnapshot = db.prepare<[string, Uint8Array, number, number]>(
  'INSERT INTO room_snapshots (room, data, last_update_id, updated_at) VALUES (?, ?, ?, ?) ' +
    'ON CONFLICT (room) DO UPDATE SET data = excluded.data, ' +
    'last_update_id = excluded.last_update_id, updated_at = excluded.updated_at',
)
const deleteFolded = db.prepare<[string, number]>(
  'DELETE FROM room_updates WHERE room = ? AND id <= ?',
)

const appendAll = db.transaction((entries: readonly RoomLogEntry[], now: number) => {
  for (const entry of entries) {
    insert.run(entry.room, entry.update, now)
  }
})

const replaceSnapshot = db.transaction(
  (room: string, data: Uint8Array, lastUpdateId: number, now: number) => {
    upsertSnapshot.run(room, data, lastUpdateId, now)
    deleteFolded.run(room, lastUpdateId)
  },
)

function load(room: string): StoredRoom {
  const snapshot = selectSnapshot.get(room)
  const after = snapshot === undefined ? 0 : Number(snapshot.last_update_id)
  const rows = selectUpdates.all(room, after)
  const last = rows.at(-1)
  return {
    snapshot: snapshot === undefined ? null : snapshot.data,
    updates: rows.map((row) => row.data),
    lastUpdateId: last === undefined ? after : Number(last.id),
  }
}

function compact(room: string, now: number): number {
  const stored = load(room)
  if (stored.updates.length === 0) {
    return 0
  }
  replaceSnapshot(room, foldRoom(stored, room), stored.lastUpdateId, now)
  return stored.updates.length
}

const checkpoints = setInterval(() => {
  db.pragma('wal_checkpoint(PASSIVE)')
}, config.checkpointMs)

/** A value to answer with, and the buffers to move to the relay's thread rather than copy. */
interface Answer {
  readonly value: RoomLogValue
  readonly transfer?: readonly ArrayBuffer[]
}

/** @returns bytes whose buffer is theirs alone (better-sqlite3's may be pooled), fit to transfer */
function own(bytes: Uint8Array): Uint8Array {
  return bytes instanceof Buffer || bytes.byteLength !== bytes.buffer.byteLength
    ? new Uint8Array(bytes)
    : bytes
}

/**
 * A room as one update for a cold load: the snapshot as stored, or folded with the log after it (as
 * a compaction does). Its buffer moves to the relay's thread.
 */
function loadWhole(room: string): Answer {
  const stored = load(room)
  const logged = stored.updates.length
  if (stored.snapshot === null && logged === 0) {
    return { value: { whole: null, logged } }
  }
  const parts = stored.snapshot === null ? stored.updates : [stored.snapshot, ...stored.updates]
  if (logged > 0 && parts.reduce((sum, part) => sum + part.length, 0) <= SLICED_UPDATE_BYTES) {
    // A small room (as most are) is applied as stored in one transaction: folding it here first
    // doubled the CPU of a load (the fold, then the fold's result applied), and a restart loads
    // every room its clients come back to at once (the kill -9 storm took 1.5× as long).
    return { value: { whole: null, parts, logged } }
  }
  const whole = own(
    logged === 0 && stored.snapshot !== null ? stored.snapshot : foldRoom(stored, room),
  )
  const value: WholeRoom = { whole, logged }
  return { value, transfer: whole.buffer instanceof ArrayBuffer ? [whole.buffer] : [] }
}

function handle(request: RoomLogRequest): Answer {
  switch (request.op) {
    case 'append':
      appendAll(request.entries, request.now)
      return { value: null }
    case 'load':
      return { value: load(request.room) }
    case 'loadWhole':
      return loadWhole(request.room)
    case 'compact':
      return { value: compact(request.room, request.now) }
    case 'ping':
      return { value: null }
    case 'close':
      clearInterval(checkpoints)
      db.pragma('wal_checkpoint(PASSIVE)')
      db.close()
      return { value: null }
  }
}

port.on('message', (request: RoomLogRequest) => {
  let response: RoomLogResponse
  let transfer: readonly ArrayBuffer[] = []
  try {
    const answer = handle(request)
    transfer = answer.transfer ?? []
    response = { id: request.id, ok: true, value: answer.value }
  } catch (error) {
    response = {
      id: request.id,
      ok: false,
      message: error instanceof Error ? error.message : String(error),
    }
  }
  port.postMessage(response, [...transfer])
  if (request.op === 'close') {
    port.close()
  }
})
