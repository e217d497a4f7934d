/**
 * The handler of every IPC channel, built from injected services. Each call is checked in order:
 * the sender must be the top-level frame of the trusted origin, the arguments must pass the
 * channel's schema, and only then does the service run. Every outcome is an `IpcResult`; details of
 * failures stay in the main process log.
 */
import type { ZodType } from 'zod'
import type { IpcErrorCode, IpcResult } from '../../shared/ipc/contract'
import { IPC_CHANNELS } from '../../shared/ipc/contract'
import { IPC_ARGUMENTS } from '../../shared/ipc/schemas'
import type { BridgeArguments, BridgeMethod, BridgeValue } from '../../shared/ipc/schemas'
import type { Logger } from './logger'
import { describeError } from './logger'
import { isTrustedSender } from './securityPolicy'
import type { SenderFrame } from './securityPolicy'
import type { DesktopServices } from './services/desktopServices'
import { ServiceFailure } from './services/desktopServices'

/** Serves one call: the caller, the frame it came from, and the raw (unvalidated) arguments. */
export type IpcHandler<C, K extends BridgeMethod> = (
  caller: C,
  frame: SenderFrame | null,
  args: readonly unknown[],
) => Promise<IpcResult<BridgeValue<K>>>

/** One handler per bridge method. */
export type IpcHandlerTable<C> = { readonly [K in BridgeMethod]: IpcHandler<C, K> }

/** @returns whether `name` is a bridge method (a key of IPC_CHANNELS). */
export function isBridgeMethod(name: string): name is BridgeMethod {
  return Object.hasOwn(IPC_CHANNELS, name)
}

// Seen through a mapped type, indexing with a generic K yields the schema of exactly BridgeArguments<K>
// (TypeScript's correlated-union pattern), so the handlers need no casts.
const ARGUMENT_SCHEMAS: { readonly [K in BridgeMethod]: ZodType<BridgeArguments<K>> } =
  IPC_ARGUMENTS

function failure(code: IpcErrorCode): { readonly ok: false; readonly code: IpcErrorCode } {
  return { ok: false, code }
}

/**
 * @param services what the handlers call once a request is accepted
 * @param options.trustedOrigin the only origin whose top-level frame may call
 * @returns the handler table; ipc.ts registers each entry on its channel.
 */
export function createIpcHandlers<C>(
  services: DesktopServices<C>,
  options: { readonly trustedOrigin: string; readonly logger: Logger },
): IpcHandlerTable<C> {
  const { trustedOrigin, logger } = options

  function guard<K extends BridgeMethod>(
    method: K,
    run: (caller: C, args: BridgeArguments<K>) => Promise<BridgeValue<K>>,
  ): IpcHandler<C, K> {
    const schema = ARGUMENT_SCHEMAS[method]
    return async (caller, frame, args) => {
      if (!isTrustedSender(frame, trustedOrigin)) {
        logger.warn('ipc refused: untrusted sender', { method, url: frame?.url ?? null })
        return failure('untrusted_sender')
      }
      const parsed = schema.safeParse(args)
      if (!parsed.success) {
        const issues = parsed.error.issues.map(
          (issue) => `${issue.path.join('.')}: ${issue.message}`,
        )
        logger.warn('ipc refused: invalid arguments', { method, issues })
        return failure('invalid_arguments')
      }
      try {
        const value = await run(caller, parsed.data)
        return { ok: true, value }
      } catch (error) {
        if (error instanceof ServiceFailure) {
          logger.warn('ipc call failed', { method, code: error.code, detail: error.message })
          return failure(error.code)
        }
        logger.error('ipc call failed', { method, error: describeError(error) })
        return failure('failed')
      }
    }
  }

  return {
    appInfo: guard('appInfo', () => services.appInfo()),
    saveFile: guard('saveFile', (caller, [request]) => services.saveFile(caller, request)),
    printToPdf: guard('printToPdf', (caller, [request]) => services.printToPdf(caller, request)),
    notify: guard('notify', async (caller, [request]) => {
      await services.notify(caller, request)
      return null
    }),
    enableNotifications: guard('enableNotifications', () => services.enableNotifications()),
    loadCredential: guard('loadCredential', () => services.loadCredential()),
    storeCredential: guard('storeCredential', async (_caller, [token]) => {
      await services.storeCredential(token)
      return null
    }),
    clearCredential: guard('clearCredential', async () => {
      await services.clearCredential()
      return null
    }),
    deviceKey: guard('deviceKey', async (_caller, [{ account }]) => {
      const publicKey = await services.deviceKey(account)
      return publicKey === null ? null : { publicKey }
    }),
    createDeviceKey: guard('createDeviceKey', async (_caller, [{ account }]) => ({
      publicKey: await services.createDeviceKey(account),
    })),
    signWithDeviceKey: guard('signWithDeviceKey', async (_caller, [{ account, data }]) => ({
      signature: await services.signWithDeviceKey(account, data),
    })),
    forgetDeviceKey: guard('forgetDeviceKey', async (_caller, [{ account }]) => {
      await services.forgetDeviceKey(account)
      return null
    }),
  }
}
