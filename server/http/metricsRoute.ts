/** `GET /metrics`: the Prometheus text format, for the addresses an operator allows. */
import net from 'node:net'
import type { FastifyInstance } from 'fastify'
import type { MetricsExtension } from '../extensions/MetricsExtension'
import { prometheusMetrics } from '../../shared/http/routes/system'
import { handleDownload } from './contractRoute'

/**
 * @returns a check of client addresses against `allowed` (addresses, or subnets as `a.b.c.d/nn`).
 * @throws Error naming an entry that is neither
 */
export function addressAllowList(allowed: readonly string[]): (address: string) => boolean {
  const list = new net.BlockList()
  for (const entry of allowed) {
    const [address = '', bits] = entry.split('/')
    const family = net.isIPv6(address) ? 'ipv6' : net.isIPv4(address) ? 'ipv4' : null
    if (family === null) {
      throw new Error(`QILU_METRICS_ALLOW: "${entry}" is not an IP address or subnet`)
    }
    if (bits === undefined) {
      list.addAddress(address, family)
    } else {
      list.addSubnet(address, Number(bits), family)
    }
  }
  return (address) => {
    // An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d.
    const plain = address.startsWith('::ffff:') ? address.slice(7) : address
    const family = net.isIPv6(plain) ? 'ipv6' : 'ipv4'
    return net.isIP(plain) !== 0 && list.check(plain, family)
  }
}

/** Registers `/metrics`, refusing (403) every address outside `allowed`. */
export function metricsRoute(
  app: FastifyInstance,
  metrics: MetricsExtension,
  allowed: readonly string[],
): void {
  const isAllowed = addressAllowList(allowed)
  handleDownload(app, prometheusMetrics, null, async ({ request, reply }) => {
    if (!isAllowed(request.socket.remoteAddress ?? '')) {
      return reply.code(403).send({
        error: {
          code: 'forbidden',
          message: '无权读取运行指标 (metrics not allowed from this address)',
        },
      })
    }
    return reply.type(metrics.contentType).send(await metrics.render())
  })
}
