/** Messages between Sm2VerifyPool and sm2VerifyWorker. */

/** One verification. */
export interface VerifyRequest {
  readonly id: number
  readonly data: Uint8Array
  /** DER, hex. */
  readonly signature: string
  /** Uncompressed hex. */
  readonly publicKey: string
}

/** Its answer. */
export interface VerifyResponse {
  readonly id: number
  readonly ok: boolean
}
