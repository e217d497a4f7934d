/**
 * The WebSocket relay: accepts upgrades on `/sync/<room>?token=…`, authenticates them before any
 * room is touched, keeps rooms in memory while they have sockets, and unloads idle ones.
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type WebSocket from 'ws'
import { CloseEvents } from '../../shared/protocol/closeEvents'
import type { CloseEvent } from '../../shared/protocol/closeEvents'
import { parseRoom } from '../../shared/protocol/rooms'
import { MAX_QUEUED_BYTES, MAX_QUEUED_MESSAGES, PING_INTERVAL_MS } from '../../shared/limits'
import type { Logger } from '../logger'
import { Connection } from './Connection'
import { Room } from './Room'
import { PresenceOwners } from './PresenceOwners'
import type { ConnectionIdentity, Extension } from './types'
import { EVERY_MEMBER } from '../services/control'
import { UpgradeGate } from './UpgradeGate'
import type { UpgradeGateOptions } from './UpgradeGate'

/** Relay tuning. */
export interface RelayOptions extends UpgradeGateOptions {
  /** How long a room without sockets stays loaded (ms). */
  readonly unloadDelayMs: number
  /** Interval of liveness pings (ms). */
  readonly pingIntervalMs: number
}

/** Marks changes the server itself makes to a room. */
export const SERVER_ORIGIN = Symbol('server')

/** Rooms, sockets and the upgrade path. */
export class Relay {
  private readonly gate: UpgradeGate
  private readonly rooms = new Map<string, Promise<Room>>()
  private readonly unloading = new Map<string, Promise<void>>()
  private readonly unloadTimers = new Map<string, NodeJS.Timeout>()
  private readonly connections = new Set<Connection>()
  private readonly pingTimer: NodeJS.Timeout
  private destroyed = false
  /**
   * Who owns which presence client id per room, kept here rather than in the rooms: the memory must
   * outlive a room unloaded when its last socket left.
   */
  readonly presenceOwners = new PresenceOwners()

  constructor(
    private readonly extensions: readonly Extension[],
    private readonly logger: Logger,
    private readonly options: RelayOptions = {
      unloadDelayMs: 10_000,
      pingIntervalMs: PING_INTERVAL_MS,
    },
  ) {
    this.gate = new UpgradeGate(extensions, logger, options, (ws, roomName, identity) =>
      this.accept(ws, roomName, identity),
    )
    this.pingTimer = setInterval(() => this.ping(), this.options.pingIntervalMs)
    this.pingTimer.unref()
  }

  /** Live sockets (for metrics and tests). */
  get connectionCount(): number {
    return this.connections.size
  }

  /** Loaded rooms (for metrics and tests). */
  get roomCount(): number {
    return this.rooms.size
  }

  /**
   * Handles an HTTP upgrade request from the Node server (UpgradeGate: never throws; a request it
   * refuses touches no room).
   */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.gate.handle(request, socket, head)
  }

  /** Closes the sockets matching `predicate` with `event`. @returns how many. */
  closeWhere(predicate: (connection: Connection) => boolean, event: CloseEvent): number {
    let count = 0
    for (const connection of this.connections) {
      if (predicate(connection)) {
        connection.close(event)
        count++
      }
    }
    return count
  }

  /**
   * Sockets of a user in a room (to re-check access after an ACL change); every socket of the room
   * when `userId` is EVERY_MEMBER (a unit grant changed).
   */
  connectionsOf(userId: string, roomName: string): Connection[] {
    return [...this.connections].filter(
      (c) => (userId === EVERY_MEMBER || c.identity.userId === userId) && c.roomName === roomName,
    )
  }

  /** The loaded room, if any (for fan-in from other nodes). */
  loadedRoom(name: string): Promise<Room> | undefined {
    return this.rooms.get(name)
  }

  /**
   * Changes a room's document from the server side (projections of authoritative state into
   * read-only rooms). Loads the room if needed; the change is fanned out and persisted like any other.
   */
  async updateRoom(name: string, change: (doc: Room['doc']) => void): Promise<void> {
    if (this.destroyed) {
      throw new Error(`relay stopped; ${name} not updated`)
    }
    const room = await this.room(name)
    room.doc.transact(() => change(room.doc), SERVER_ORIGIN)
    this.scheduleUnload(room)
  }

  /** Closes every socket, unloads every room through the extensions, and stops. */
  async destroy(): Promise<void> {
    this.destroyed = true
    this.gate.closed = true
    clearInterval(this.pingTimer)
    for (const connection of this.connections) {
      connection.close(CloseEvents.goingAway)
    }
    for (const timer of this.unloadTimers.values()) {
      clearTimeout(timer)
    }
    const names = [...this.rooms.keys()]
    await Promise.all(names.map((name) => this.unload(name)))
    await Promise.all(this.unloading.values())
    for (const extension of this.extensions) {
      await extension.onDestroy?.()
    }
    this.gate.close()
  }

  private accept(ws: WebSocket, roomName: string, identity: ConnectionIdentity): void {
    const connection = new Connection(ws, identity, roomName)
    this.connections.add(connection)
    // Messages can arrive before the room has loaded; keep their order, within the same bounds as
    // the room's own queue of a connection.
    const queue: Uint8Array[] = []
    let queuedBytes = 0
    let room: Room | null = null
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        connection.close(CloseEvents.badMessage)
        return
      }
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      if (room !== null) {
        this.receive(room, connection, bytes)
      } else if (
        queue.length >= MAX_QUEUED_MESSAGES ||
        queuedBytes + bytes.length > MAX_QUEUED_BYTES
      ) {
        connection.close(CloseEvents.rateLimited)
      } else {
        queue.push(bytes)
        queuedBytes += bytes.length
      }
    })
    ws.on('pong', () => {
      connection.alive = true
    })
    ws.on('error', (error: Error & { code?: string }) => {
      // ws closes the socket itself after a protocol error (1002, 1007) or an oversized message (1009).
      connection.closedBy(
        error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'
          ? CloseEvents.messageTooBig
          : CloseEvents.badMessage,
      )
      this.logger.debug('socket error', { error: String(error), room: roomName })
    })
    ws.on('close', (code: number) => {
      this.connections.delete(connection)
      if (room !== null) {
        room.leave(connection)
        this.scheduleUnload(room)
      }
      this.tell('onDisconnect', (extension) => extension.onDisconnect?.(connection, code))
    })
    this.cancelUnload(roomName)
    this.room(roomName).then(
      (loaded) => {
        if (!connection.isOpen) {
          this.scheduleUnload(loaded)
          return
        }
        room = loaded
        try {
          loaded.join(connection)
        } catch (error) {
          this.logger.error('join failed', { room: roomName, error: String(error) })
          connection.close(CloseEvents.internalError)
          return
        }
        this.tell('onConnect', (extension) => extension.onConnect?.(connection))
        for (const bytes of queue.splice(0)) {
          this.receive(loaded, connection, bytes)
        }
      },
      (error: unknown) => {
        this.logger.error('room load failed', { room: roomName, error: String(error) })
        connection.close(CloseEvents.goingAway)
      },
    )
  }

  /** Runs a notification hook on every extension; one that throws is logged, the others still run. */
  private tell(hook: string, call: (extension: Extension) => void): void {
    for (const extension of this.extensions) {
      try {
        call(extension)
      } catch (error) {
        this.logger.error('extension hook failed', {
          extension: extension.name,
          hook,
          error: String(error),
        })
      }
    }
  }

  private receive(room: Room, connection: Connection, bytes: Uint8Array): void {
    if (!connection.isOpen) {
      return
    }
    try {
      room.receive(connection, bytes)
    } catch (error) {
      this.badMessage(room, connection, error)
    }
  }

  /** A bad message closes only its own connection, never the room, never the process. */
  private badMessage(room: Room, connection: Connection, error: unknown): void {
    this.logger.warn('bad message', {
      room: room.name,
      user: connection.identity.userId,
      error: String(error),
    })
    connection.close(CloseEvents.badMessage)
  }

  private room(name: string): Promise<Room> {
    const existing = this.rooms.get(name)
    if (existing !== undefined) {
      return existing
    }
    const loading = (async () => {
      await this.unloading.get(name)
      const parsed = parseRoom(name)
      if (parsed === null) {
        throw new Error(`invalid room ${name}`)
      }
      const room = new Room(
        name,
        parsed,
        this.extensions,
        (connection, error) => this.badMessage(room, connection, error),
        this.presenceOwners,
      )
      for (const extension of this.extensions) {
        await extension.onLoadRoom?.(room)
      }
      room.open()
      return room
    })()
    this.rooms.set(name, loading)
    loading.catch(() => this.rooms.delete(name))
    return loading
  }

  private scheduleUnload(room: Room): void {
    if (room.connections.size > 0 || this.destroyed) {
      return
    }
    this.cancelUnload(room.name)
    const timer = setTimeout(() => {
      this.unloadTimers.delete(room.name)
      if (room.connections.size === 0) {
        void this.unload(room.name)
      }
    }, this.options.unloadDelayMs)
    timer.unref()
    this.unloadTimers.set(room.name, timer)
  }

  private cancelUnload(name: string): void {
    const timer = this.unloadTimers.get(name)
    if (timer !== undefined) {
      clearTimeout(timer)
      this.unloadTimers.delete(name)
    }
  }

  private async unload(name: string): Promise<void> {
    const loading = this.rooms.get(name)
    if (loading === undefined) {
      return
    }
    this.rooms.delete(name)
    const work = (async () => {
      const room = await loading
      for (const extension of this.extensions) {
        try {
          await extension.onUnloadRoom?.(room)
        } catch (error) {
          this.logger.error('room unload failed', {
            room: name,
            extension: extension.name,
            error: String(error),
          })
        }
      }
      room.destroy()
    })()
    this.unloading.set(name, work)
    try {
      await work
    } finally {
      this.unloading.delete(name)
    }
  }

  private ping(): void {
    for (const connection of this.connections) {
      if (!connection.alive) {
        connection.close(CloseEvents.timeout)
        connection.socket.terminate()
        continue
      }
      connection.alive = false
      connection.socket.ping()
    }
  }
}
