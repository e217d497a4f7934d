/**
 * Worker thread that verifies SM2 signatures off the relay's main thread (DESIGN §7: tens of ms
 * each in JavaScript). Requests `{ id, data, signature, publicKey }`, answers `{ id, ok }`.
 */
import { parentPort } from 'node:worker_threads'
import { sm2Verify } from '../../shared/crypto/sm2'
import type { VerifyRequest, VerifyResponse } from './sm2VerifyProtocol'

if (parentPort === null) {
  throw new Error('sm2VerifyWorker must run as a worker thread')
}
const port = parentPort

port.on('message', (request: VerifyRequest) => {
  let ok = false
  try {
    ok = sm2Verify(request.data, request.signature, request.publicKey)
  } catch {
    ok = false
  }
  const response: VerifyResponse = { id: request.id, ok }
  port.postMessage(response)
})
