/**
 * The relay's metrics in the Prometheus text format (prom-client): sockets, rooms, updates and
 * bytes in and out, closes and refusals by close code, HTTP latency by route, persistence queue and
 * commit latency, and the process's own (event-loop lag, heap, CPU). Each relay has its own
 * registry, so several relays in one process (the tests) do not mix their counts.
 *
 * @example
 *   const metrics = new MetricsExtension()
 *   reply.type(metrics.contentType).send(await metrics.render())
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { Connection } from '../relay/Connection'
import type { ChangePayload, DisconnectPayload, Extension, MessagePayload } from '../relay/hooks'
import type { IncomingKind, MessageVerdict } from '../relay/verdicts'
import { PRIORITY } from './priorities'

/** A point-in-time copy of the main counters (the admin JSON view). */
export interface MetricsSnapshot {
  readonly connectionsOpened: number
  readonly connectionsClosed: number
  readonly messagesIn: number
  readonly bytesIn: number
  readonly documentUpdates: number
  readonly readerWritesDropped: number
}

/** What the gauges read when scraped. */
export interface MetricsSources {
  readonly connections: () => number
  readonly rooms: () => number
  /** Updates waiting to be written. */
  readonly persistenceQueue: () => number
}

/** Counts what passes through the relay. */
export class MetricsExtension implements Extension {
  readonly name = 'metrics'
  readonly priority = PRIORITY.metrics
  readonly registry = new Registry()
  private readonly opened = new Counter({
    name: 'qilu_connections_opened_total',
    help: 'WebSocket connections that joined a room',
    registers: [this.registry],
  })
  private readonly closed = new Counter({
    name: 'qilu_connections_closed_total',
    help: 'WebSocket connections closed, by close code (4xxx and 1009 are refusals)',
    labelNames: ['code'],
    registers: [this.registry],
  })
  /**
   * The per-message counts are plain numbers, read into their counters when scraped: prom-client's
   * `inc` hashes its labels and allocates a result at every call, and a relay counts thousands of
   * messages a second for one scrape every few seconds.
   */
  private counts = {
    opened: 0,
    closed: 0,
    messagesIn: 0,
    bytesIn: 0,
    updates: 0,
    bytesOut: 0,
    dropped: 0,
  }
  private readonly messagesByKind: Record<IncomingKind, number> = {
    'sync-read': 0,
    'sync-write': 0,
    awareness: 0,
    other: 0,
  }
  private readonly http = new Histogram({
    name: 'qilu_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [this.registry],
  })
  private readonly commits = new Histogram({
    name: 'qilu_persistence_commit_seconds',
    help: 'Duration of one update-log commit (one group of updates)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  })

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'qilu_' })
    const byKind = this.messagesByKind
    new Counter({
      name: 'qilu_messages_in_total',
      help: 'Messages received from clients, by kind',
      labelNames: ['kind'],
      registers: [this.registry],
      collect() {
        this.reset()
        for (const [kind, count] of Object.entries(byKind)) {
          if (count > 0) {
            this.inc({ kind }, count)
          }
        }
      },
    })
    const counts = this.counts
    countedAtScrape(
      this.registry,
      'qilu_bytes_in_total',
      'Bytes received from clients',
      () => counts.bytesIn,
    )
    countedAtScrape(
      this.registry,
      'qilu_document_updates_total',
      'Document updates applied (from clients, other nodes and the server itself)',
      () => counts.updates,
    )
    countedAtScrape(
      this.registry,
      'qilu_update_bytes_out_total',
      'Bytes of document updates fanned out to sockets',
      () => counts.bytesOut,
    )
    countedAtScrape(
      this.registry,
      'qilu_reader_writes_dropped_total',
      'Updates from readers, dropped',
      () => counts.dropped,
    )
  }

  /** Connects the gauges to what they read (the relay exists after this extension). */
  observe(sources: MetricsSources): void {
    new Gauge({
      name: 'qilu_connections',
      help: 'Open WebSocket connections',
      registers: [this.registry],
      collect() {
        this.set(sources.connections())
      },
    })
    new Gauge({
      name: 'qilu_rooms_loaded',
      help: 'Rooms in memory',
      registers: [this.registry],
      collect() {
        this.set(sources.rooms())
      },
    })
    new Gauge({
      name: 'qilu_persistence_queue_depth',
      help: 'Document updates waiting to be written',
      registers: [this.registry],
      collect() {
        this.set(sources.persistenceQueue())
      },
    })
  }

  onConnect(): void {
    this.opened.inc()
    this.counts.opened++
  }

  onDisconnect({ code }: DisconnectPayload): void {
    this.closed.inc({ code: String(code) })
    this.counts.closed++
  }

  onMessage({ connection, kind, bytes }: MessagePayload): MessageVerdict {
    this.messagesByKind[kind]++
    this.counts.messagesIn++
    this.counts.bytesIn += bytes
    if (kind === 'sync-write' && connection.access === 'read') {
      this.counts.dropped++
    }
    return 'accept'
  }

  onChange({ room, update, origin }: ChangePayload): void {
    this.counts.updates++
    // Every socket but the sender gets the update (plus a 2–6 byte frame header, not counted).
    const recipients = room.connections.size - (room.connections.has(origin as Connection) ? 1 : 0)
    if (recipients > 0) {
      this.counts.bytesOut += update.length * recipients
    }
  }

  /** Records one HTTP request. */
  request(method: string, route: string, status: number, seconds: number): void {
    this.http.observe({ method, route, status: String(status) }, seconds)
  }

  /** Records one commit of the update log. */
  commit(seconds: number): void {
    this.commits.observe(seconds)
  }

  /** MIME type of `render()`. */
  get contentType(): string {
    return this.registry.contentType
  }

  /** @returns every metric in the Prometheus text format. */
  render(): Promise<string> {
    return this.registry.metrics()
  }

  /** @returns the counters now. */
  snapshot(): MetricsSnapshot {
    return {
      connectionsOpened: this.counts.opened,
      connectionsClosed: this.counts.closed,
      messagesIn: this.counts.messagesIn,
      bytesIn: this.counts.bytesIn,
      documentUpdates: this.counts.updates,
      readerWritesDropped: this.counts.dropped,
    }
  }

  /** Stops the default collectors' timers. */
  async onDestroy(): Promise<void> {
    this.registry.clear()
  }
}

/** A counter whose value is `read()` when scraped (a running total kept as a plain number). */
function countedAtScrape(registry: Registry, name: string, help: string, read: () => number): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset()
      this.inc(read())
    },
  })
}
