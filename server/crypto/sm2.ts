/** SM2 for the relay: the shared implementation (shared/crypto/sm2.ts), which clients use too. */
export * from '../../shared/crypto/sm2'
