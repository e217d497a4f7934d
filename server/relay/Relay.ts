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
import type { ConnectionIdentity } from './identity'
import type { Extension } from './hooks'
import { ExtensionChain } from './ExtensionChain'
import { RoomAccess } from './RoomAccess'
import { UpgradeGate } from './UpgradeGate'
import type { UpgradeGateOptions } from './UpgradeGate'

/** How many idle rooms unload at the same time (nextIdleUnloads). */
export const IDLE_UNLOADS_AT_ONCE = 2

/** Relay tuning. */
export interface RelayOptions extends UpgradeGateOptions {
  /** How long a room without sockets stays loaded (ms). */
  readonly unloadDelayMs: number
  /** Interval of liveness pings (ms). */
  readonly pingIntervalMs: number
}

/** Rooms, sockets and the upgrade path. */
export class Relay {
  private readonly gate: UpgradeGate
  private readonly extensions: ExtensionChain
  private readonly loadedRooms = new Map<string, Promise<Room>>()
  private readonly unloading = new Map<string, Promise<void>>()
  private readonly unloadTimers = new Map<string, NodeJS.Timeout>()
  /** Idle rooms waiting for their turn to unload, in the order they went idle. */
  private readonly unloadQueue = new Map<string, Room>()
  private idleUnloads = 0
  private readonly connections = new Set<Connection>()
  private readonly pingTimer: NodeJS.Timeout
  private destroyed = false
  /**
   * Who owns which presence client id per room, kept here rather than in the rooms: the memory must
   * outlive a room unloaded when its last socket left.
   */
  readonly presenceOwners = new PresenceOwners()
  /** The rooms as services reach them (RoomPort), and their events (RoomEvents). */
  readonly rooms: RoomAccess

  /** @param extensions the first extensions; `use` adds more before the relay serves */
  constructor(
    extensions: readonly Extension[],
    private readonly logger: Logger,
    private readonly options: RelayOptions = {
      unloadDelayMs: 10_000,
      pingIntervalMs: PING_INTERVAL_MS,
    },
  ) {
    this.extensions = new ExtensionChain(extensions, logger)
    this.rooms = new RoomAccess(
      {
        room: (name) => this.serverRoom(name),
        loaded: (name) => this.loadedRooms.get(name),
        used: (room) => this.scheduleUnload(room),
      },
      logger,
    )
    this.gate = new UpgradeGate(this.extensions, logger, options, (ws, roomName, identity) =>
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
    return this.loadedRooms.size
  }

  /** Adds extensions; each runs in the order of its priority. */
  use(...extensions: Extension[]): void {
    this.extensions.add(...extensions)
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

  /** Sockets of a user in a room (to re-check their access after an ACL change). */
  connectionsOf(userId: string, roomName: string): Connection[] {
    return this.connectionsIn(roomName).filter((c) => c.identity.userId === userId)
  }

  /** The sockets that match (to re-check projection readers). */
  connectionsWhere(predicate: (connection: Connection) => boolean): Connection[] {
    return [...this.connections].filter(predicate)
  }

  /** Every socket of a room (to re-check their access after a unit grant changed). */
  connectionsIn(roomName: string): Connection[] {
    return [...this.connections].filter((c) => c.roomName === roomName)
  }

  /** The loaded room, if any. */
  loadedRoom(name: string): Promise<Room> | undefined {
    return this.loadedRooms.get(name)
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
    this.unloadQueue.clear()
    const names = [...this.loadedRooms.keys()]
    await Promise.all(names.map((name) => this.unload(name)))
    await Promise.all(this.unloading.values())
    await this.extensions.destroy()
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
      this.extensions.tell('onDisconnect', (extension) =>
        extension.onDisconnect?.({ connection, code }),
      )
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
        this.extensions.tell('onConnect', (extension) => extension.onConnect?.({ connection }))
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

  /** A room the server reads or changes. @throws when the relay has stopped */
  private serverRoom(name: string): Promise<Room> {
    if (this.destroyed) {
      return Promise.reject(new Error(`relay stopped; ${name} not available`))
    }
    this.cancelUnload(name)
    return this.room(name)
  }

  private room(name: string): Promise<Room> {
    const existing = this.loadedRooms.get(name)
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
        (loading) => this.extensions.forRoom(loading),
        (connection, error) => this.badMessage(room, connection, error),
        this.presenceOwners,
      )
      await this.extensions.loadRoom(room)
      room.open()
      return room
    })()
    this.loadedRooms.set(name, loading)
    loading.catch(() => this.loadedRooms.delete(name))
    return loading
  }

  private scheduleUnload(room: Room): void {
    if (room.connections.size > 0 || this.destroyed) {
      return
    }
    this.cancelUnload(room.name)
    const timer = setTimeout(() => {
      this.unloadTimers.delete(room.name)
      this.unloadQueue.set(room.name, room)
      this.nextIdleUnloads()
    }, this.options.unloadDelayMs)
    timer.unref()
    this.unloadTimers.set(room.name, timer)
  }

  /**
   * Unloads idle rooms IDLE_UNLOADS_AT_ONCE at a time. Each unload takes a version and compacts
   * the room's log; 500 rooms whose clients left together, unloaded at once, held the relay's thread
   * for 100–350 ms at a stretch and every other room's updates waited (BENCHMARKS.md §10).
   */
  private nextIdleUnloads(): void {
    for (const [name, room] of this.unloadQueue) {
      if (this.idleUnloads >= IDLE_UNLOADS_AT_ONCE || this.destroyed) {
        return
      }
      this.unloadQueue.delete(name)
      if (room.connections.size > 0) {
        continue
      }
      this.idleUnloads++
      void this.unload(name)
        .catch((error: unknown) => {
          this.logger.error('room unload failed', { room: name, error: String(error) })
        })
        .finally(() => {
          this.idleUnloads--
          this.nextIdleUnloads()
        })
    }
  }

  private cancelUnload(name: string): void {
    this.unloadQueue.delete(name)
    const timer = this.unloadTimers.get(name)
    if (timer !== undefined) {
      clearTimeout(timer)
      this.unloadTimers.delete(name)
    }
  }

  private async unload(name: string): Promise<void> {
    const loading = this.loadedRooms.get(name)
    if (loading === undefined) {
      return
    }
    this.loadedRooms.delete(name)
    const work = (async () => {
      const room = await loading
      await this.extensions.unloadRoom(room)
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
