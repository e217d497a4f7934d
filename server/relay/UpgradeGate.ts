/**
 * The door of the sync path, before any room is touched (DESIGN.md §3, §6): reads an upgrade
 * request without ever throwing (its target is whatever bytes a client sent), refuses pages of
 * foreign origins with 403, authenticates the token through the extensions, audits every refusal,
 * and only then completes the upgrade and hands the socket over. A refused socket is upgraded only
 * so the client learns the close code; it never joins a room.
 *
 * @example
 *   const gate = new UpgradeGate(extensions, logger, options, (ws, room, identity) => accept(...))
 *   server.on('upgrade', (request, socket, head) => gate.handle(request, socket, head))
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import type WebSocket from 'ws'
import { CloseEvents } from '../../shared/protocol/closeEvents'
import type { CloseEvent } from '../../shared/protocol/closeEvents'
import { parseRoom } from '../../shared/protocol/rooms'
import { MAX_CATCH_UP_BYTES, MAX_MESSAGE_BYTES } from '../../shared/limits'
import type { Logger } from '../logger'
import type { AuditActor } from '../audit/events'
import { RelayRefusal } from './verdicts'
import type { RefusalSink } from './verdicts'
import type { ConnectionIdentity } from './identity'
import type { ExtensionChain } from './ExtensionChain'
import { OriginPolicy } from './originPolicy'
import { parseSyncTarget, redactUrl } from './syncTarget'

/** What the gate needs besides the extensions. */
export interface UpgradeGateOptions {
  /** Page origins let through besides the relay's own (QILU_ALLOWED_ORIGINS, normalised). */
  readonly allowedOrigins?: readonly string[]
  /** Where refused upgrades are audited. */
  readonly refusals?: RefusalSink
}

/** Takes an upgraded, authenticated socket into a room. */
export type Accept = (ws: WebSocket, roomName: string, identity: ConnectionIdentity) => void

/** The actor of a refusal before anyone is authenticated. */
const ANONYMOUS: AuditActor = { id: null, name: 'anonymous' }

/** Upgrade requests of the sync path. */
export class UpgradeGate {
  private readonly wss: WebSocketServer
  /** Sockets of members who may write: a catch-up after offline work may be this large. */
  private readonly writers: WebSocketServer
  private readonly origins: OriginPolicy
  /** Set when the relay stops: every request is then answered 404. */
  closed = false

  constructor(
    private readonly extensions: ExtensionChain,
    private readonly logger: Logger,
    private readonly options: UpgradeGateOptions,
    private readonly accept: Accept,
  ) {
    const server = (maxPayload: number): WebSocketServer =>
      new WebSocketServer({
        noServer: true,
        // ws closes with 1009 when a message (all fragments together) exceeds this, before it
        // buffers more: readers and commenters never get to make the relay hold 32 MiB.
        maxPayload,
        // Compression invites decompression bombs and costs CPU on every fan-out.
        perMessageDeflate: false,
        clientTracking: false,
      })
    this.wss = server(MAX_MESSAGE_BYTES)
    this.writers = server(MAX_CATCH_UP_BYTES)
    this.origins = new OriginPolicy(options.allowedOrigins)
  }

  /**
   * Handles an HTTP upgrade request. Whatever the request holds, this never throws: a request that
   * cannot be read is refused with a 4xx status and a log line without its token, and only that
   * socket is affected.
   */
  handle(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Node takes its own error listener off a socket it hands over for an upgrade; without one, a
    // client resetting the connection while it is being authenticated would end the process.
    socket.on('error', (error: Error) => {
      this.logger.debug('upgrade socket error', { error: String(error) })
    })
    try {
      this.upgrade(request, socket, head)
    } catch (error) {
      this.logger.warn('upgrade failed', { url: redactUrl(request.url), error: String(error) })
      refuseUpgrade(socket, 400)
    }
  }

  /** Stops taking upgrades. */
  close(): void {
    this.closed = true
    this.wss.close()
    this.writers.close()
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const target = parseSyncTarget(request.url)
    if (target.kind === 'malformed') {
      this.logger.info('upgrade refused: malformed target', { url: redactUrl(request.url) })
      refuseUpgrade(socket, 400)
      return
    }
    if (target.kind === 'elsewhere' || this.closed) {
      refuseUpgrade(socket, 404)
      return
    }
    const { roomName, token } = target
    const remoteAddress = request.socket.remoteAddress ?? ''
    const origin = request.headers.origin
    const { localAddress, localPort } = request.socket
    if (
      origin !== undefined &&
      !this.origins.allows(origin, request.headers.host, localAddress, localPort)
    ) {
      // Before the token is even looked at: a foreign page learns nothing about it.
      this.auditRefusal(null, 'origin_refused', remoteAddress, roomName, {
        origin: redactUrl(origin),
      })
      refuseUpgrade(socket, 403)
      return
    }
    void this.authenticate(roomName, token, remoteAddress)
      .then((result) => {
        if ('refusal' in result) {
          this.auditRefusal(result.actor, result.refusal.reason, remoteAddress, roomName, {
            code: result.refusal.code,
          })
        }
        const wss =
          'identity' in result && result.identity.access === 'write' ? this.writers : this.wss
        wss.handleUpgrade(request, socket, head, (ws) => {
          if ('refusal' in result) {
            // The upgrade completes only so the client learns why (close codes need a socket);
            // the socket never joins a room. ws reports the peer's bad frames as 'error' events,
            // which must be heard.
            ws.on('error', (error: Error) => {
              this.logger.debug('socket error', { error: String(error), room: redactUrl(roomName) })
            })
            ws.close(result.refusal.code, result.refusal.reason)
            return
          }
          try {
            this.accept(ws, roomName, result.identity)
          } catch (error) {
            this.logger.error('accept failed', { room: roomName, error: String(error) })
            ws.close(CloseEvents.internalError.code, CloseEvents.internalError.reason)
          }
        })
      })
      .catch((error: unknown) => {
        this.logger.error('upgrade failed', { room: redactUrl(roomName), error: String(error) })
        refuseUpgrade(socket, 500)
      })
  }

  private async authenticate(
    roomName: string,
    token: string,
    remoteAddress: string,
  ): Promise<{ identity: ConnectionIdentity } | { refusal: CloseEvent; actor: AuditActor | null }> {
    const room = parseRoom(roomName)
    if (room === null) {
      return { refusal: CloseEvents.unknownRoom, actor: null }
    }
    const authenticator = this.extensions.authenticator()
    if (authenticator?.onAuthenticate === undefined) {
      return { refusal: CloseEvents.unauthorized, actor: null }
    }
    try {
      return {
        identity: await authenticator.onAuthenticate({ room, roomName, token, remoteAddress }),
      }
    } catch (error) {
      if (error instanceof RelayRefusal) {
        return { refusal: error.event, actor: error.actor }
      }
      throw error
    }
  }

  /**
   * Audits a refused upgrade. Refusals of a known user are kept per room; anonymous ones per
   * address and reason only (the room goes in the detail), so a stream of made-up room names
   * cannot write one audit entry each.
   */
  private auditRefusal(
    actor: AuditActor | null,
    reason: string,
    ip: string,
    roomName: string,
    detail: Record<string, unknown>,
  ): void {
    const known = actor !== null && parseRoom(roomName) !== null
    this.options.refusals?.refuse({
      actor: actor ?? ANONYMOUS,
      room: known ? roomName : null,
      reason,
      detail: { ...detail, room: redactUrl(roomName) },
      ip,
    })
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
}

/** Answers an upgrade request with an HTTP error and ends the socket (it never became a WebSocket). */
function refuseUpgrade(socket: Duplex, status: number): void {
  if (socket.destroyed) {
    return
  }
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
  )
}
