/**
 * The relay's extensions in their declared order (highest `priority` first, registration order
 * among equals), and how each hook runs over them: verdict hooks stop at the first refusal,
 * notification hooks run on every extension and an extension that throws is logged, not fatal.
 *
 * @example
 *   const chain = new ExtensionChain([auth, persistence], logger)
 *   const room = new Room(name, parsed, (r) => chain.forRoom(r), onBad, owners)
 */
import type { Logger } from '../logger'
import type { Room, RoomHooks } from './Room'
import { DEFAULT_PRIORITY } from './hooks'
import type { Extension, UpdatePayload } from './hooks'
import type { UpdateVerdict } from './verdicts'

/** Ordered extensions and their hooks. */
export class ExtensionChain {
  private list: readonly Extension[] = []
  /**
   * Per hook run at every message or update, the extensions that have it: a keystroke then calls
   * the few that care instead of probing all eleven for an optional method.
   */
  private hooked: HookedLists = hookedLists([])

  constructor(
    extensions: readonly Extension[],
    private readonly logger: Logger,
  ) {
    this.add(...extensions)
  }

  /** The extensions, in the order their hooks run. */
  get all(): readonly Extension[] {
    return this.list
  }

  /** Adds extensions; each takes its place by priority. */
  add(...extensions: Extension[]): void {
    // Array.prototype.sort is stable: equal priorities keep their registration order.
    this.list = [...this.list, ...extensions].sort(
      (a, b) => (b.priority ?? DEFAULT_PRIORITY) - (a.priority ?? DEFAULT_PRIORITY),
    )
    this.hooked = hookedLists(this.list)
  }

  /** The extension that authenticates upgrades (the first with `onAuthenticate`). */
  authenticator(): Extension | undefined {
    return this.list.find((extension) => extension.onAuthenticate !== undefined)
  }

  /** Runs a notification hook on every extension; one that throws is logged, the others still run. */
  tell(hook: string, call: (extension: Extension) => void): void {
    for (const extension of this.list) {
      try {
        call(extension)
      } catch (error) {
        this.logger.error('extension hook failed', {
          extension: extension.name,
          hook,
          error: String(error),
        })
      }
    }
  }

  /** Runs `onLoadRoom` on every extension in order (a failure fails the load). */
  async loadRoom(room: Room): Promise<void> {
    for (const extension of this.list) {
      await extension.onLoadRoom?.({ room })
    }
  }

  /** Runs `onUnloadRoom` on every extension in order; a failure is logged and the others run. */
  async unloadRoom(room: Room): Promise<void> {
    for (const extension of this.list) {
      try {
        await extension.onUnloadRoom?.({ room })
      } catch (error) {
        this.logger.error('room unload failed', {
          room: room.name,
          extension: extension.name,
          error: String(error),
        })
      }
    }
  }

  /** Runs `onDestroy` on every extension in order. */
  async destroy(): Promise<void> {
    for (const extension of this.list) {
      await extension.onDestroy?.()
    }
  }

  /** @returns the hooks of one room, running the extensions with that room's payloads. */
  forRoom(room: Room): RoomHooks {
    return {
      onMessage: (connection, kind, data) => {
        const payload = { connection, kind, bytes: data.length, data }
        for (const extension of this.hooked.onMessage) {
          const verdict = extension.onMessage?.(payload) ?? 'accept'
          if (verdict !== 'accept') {
            return verdict
          }
        }
        return 'accept'
      },
      prepareUpdate: (connection, incoming) =>
        prepare(this.hooked.prepareUpdate, { room, connection, incoming }, 0),
      beforeApplyUpdate: (connection, incoming) => {
        const payload = { room, connection, incoming }
        for (const extension of this.hooked.beforeApplyUpdate) {
          const verdict = extension.beforeApplyUpdate?.(payload) ?? 'accept'
          if (verdict !== 'accept') {
            return verdict
          }
        }
        return 'accept'
      },
      beforeSyncAnswer: (connection) => {
        // Every extension is asked at once; the answer waits for all of them.
        const waits = this.list
          .map((extension) => extension.beforeSyncAnswer?.({ room, connection }))
          .filter((wait): wait is Promise<void> => wait instanceof Promise)
        return waits.length === 0 ? undefined : Promise.all(waits).then(() => undefined)
      },
      onChange: (update, origin, transaction) => {
        const payload = { room, update, origin, transaction }
        for (const extension of this.hooked.onChange) {
          extension.onChange?.(payload)
        }
      },
      onAwareness: (update, origin) => {
        const payload = { room, update, origin, transaction: null }
        for (const extension of this.list) {
          extension.onAwareness?.(payload)
        }
      },
      claimPresence: (clientId, userId) => {
        const payload = { roomName: room.name, clientId, userId }
        const verdicts = this.list.map((extension) => extension.claimPresence?.(payload) ?? true)
        if (verdicts.includes(false)) {
          return false
        }
        const pending = verdicts.filter((v): v is Promise<boolean> => v instanceof Promise)
        return pending.length === 0 ? true : Promise.all(pending).then((all) => all.every(Boolean))
      },
    }
  }
}

/** The extensions with each per-message hook, in the chain's order. */
interface HookedLists {
  readonly onMessage: readonly Extension[]
  readonly prepareUpdate: readonly Extension[]
  readonly beforeApplyUpdate: readonly Extension[]
  readonly onChange: readonly Extension[]
}

function hookedLists(list: readonly Extension[]): HookedLists {
  return {
    onMessage: list.filter((extension) => extension.onMessage !== undefined),
    prepareUpdate: list.filter((extension) => extension.prepareUpdate !== undefined),
    beforeApplyUpdate: list.filter((extension) => extension.beforeApplyUpdate !== undefined),
    onChange: list.filter((extension) => extension.onChange !== undefined),
  }
}

/**
 * Runs the `prepareUpdate` hooks of `list` from `from` on, in order; synchronously while none waits.
 * @returns the first refusal, 'accept', or a promise of either
 */
function prepare(
  list: readonly Extension[],
  payload: UpdatePayload,
  from: number,
): UpdateVerdict | Promise<UpdateVerdict> {
  for (let i = from; i < list.length; i++) {
    const verdict = list[i]?.prepareUpdate?.(payload) ?? 'accept'
    if (verdict instanceof Promise) {
      return verdict.then((settled) =>
        settled === 'accept' ? prepare(list, payload, i + 1) : settled,
      )
    }
    if (verdict !== 'accept') {
      return verdict
    }
  }
  return 'accept'
}
