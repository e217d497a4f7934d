/** GET /api/v1/relay/public-key: the relay's SM2 public key, which verifies what the relay signs. */
import type { FastifyInstance } from 'fastify'
import { SM2_DEFAULT_USER_ID } from '../crypto/sm2'

/** Registers the route; public, as the key is meant to be checked by anyone. */
export function relayKeyRoutes(app: FastifyInstance, publicKey: string): void {
  app.get('/api/v1/relay/public-key', async () => ({
    algorithm: 'SM2',
    hash: 'SM3',
    userId: SM2_DEFAULT_USER_ID,
    publicKey,
  }))
}
