/** Routes of the relay itself: health, its public key, metrics, and the web client. */
import { z } from 'zod'
import { defineDownload, definePage, defineRoute } from '../contract'

/**
 * `GET /api/v1/health` → 200 while the node serves (DESIGN.md §6); `nodes`, when the deployment
 * lists its nodes (`QILU_NODES`), the origins of every node, which clients fail over to.
 */
export const health = defineRoute({
  method: 'GET',
  path: '/api/v1/health',
  status: 200,
  response: z.object({ status: z.literal('ok'), nodes: z.array(z.string()).optional() }),
})

/** `GET /api/v1/relay/public-key` → 200 the SM2 key that verifies what the relay signs (public). */
export const relayPublicKey = defineRoute({
  method: 'GET',
  path: '/api/v1/relay/public-key',
  status: 200,
  response: z.object({
    algorithm: z.literal('SM2'),
    hash: z.literal('SM3'),
    /** The SM2 signer id (ZA) the signatures use. */
    userId: z.string(),
    /** Uncompressed hex. */
    publicKey: z.string(),
  }),
})

/** Counters of this node since it started. */
export const MetricsSnapshot = z.object({
  connectionsOpened: z.number(),
  connectionsClosed: z.number(),
  messagesIn: z.number(),
  bytesIn: z.number(),
  documentUpdates: z.number(),
  readerWritesDropped: z.number(),
})
export type MetricsSnapshot = z.infer<typeof MetricsSnapshot>

/** `GET /api/v1/admin/metrics` → 200 this node's counters (administrators). */
export const adminMetrics = defineRoute({
  method: 'GET',
  path: '/api/v1/admin/metrics',
  status: 200,
  response: MetricsSnapshot,
})

/** `GET /metrics` → the Prometheus text format, for the addresses an operator allows (else 403). */
export const prometheusMetrics = defineDownload({
  method: 'GET',
  path: '/metrics',
  contentType: 'text/plain; version=0.0.4; charset=utf-8',
})

/**
 * `GET /` → the web client's shell (or a page saying it has not been built). Its other files
 * (`/index.html`, `/assets/…`, the service worker) are whatever the build wrote, one route each.
 */
export const webClientShell = definePage({ method: 'GET', path: '/' })
