/** GET /api/v1/relay/public-key: the relay's SM2 public key, which verifies what the relay signs. */
import type { FastifyInstance } from 'fastify'
import { relayPublicKey } from '../../shared/http/routes/system'
import { SM2_DEFAULT_USER_ID } from '../crypto/sm2'
import { handle } from './contractRoute'

/** Registers the route; public, as the key is meant to be checked by anyone. */
export function relayKeyRoutes(app: FastifyInstance, publicKey: string): void {
  handle(app, relayPublicKey, async () => ({
    algorithm: 'SM2' as const,
    hash: 'SM3' as const,
    userId: SM2_DEFAULT_USER_ID,
    publicKey,
  }))
}
