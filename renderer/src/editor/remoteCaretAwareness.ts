/**
 * The presence the caret plugin sees: the session's own awareness, except that its 'change'
 * listeners hear only changes that involve another client.
 *
 * y-prosemirror's caret plugin rebuilds every colleague's caret in one more editor transaction
 * (queued with `setTimeout(0)`) after each awareness 'change'. This device's own caret moves with
 * every keystroke, so every keystroke paid for that transaction, and for its view update, before
 * the frame that shows the character — yet this device's own caret is never drawn (the plugin's
 * filter leaves it out), so the rebuilt carets were the same as the mapped ones. Colleagues'
 * changes still rebuild them, and 'update' listeners (the list of users) still hear everything.
 */
import type { Awareness } from 'y-protocols/awareness'

/** The arguments of an awareness 'change' event. */
type ChangeListener = (
  changes: {
    readonly added: readonly number[]
    readonly updated: readonly number[]
    readonly removed: readonly number[]
  },
  origin: unknown,
) => void

/** @returns whether a 'change' names any client other than `self`. */
export function involvesOthers(changes: Parameters<ChangeListener>[0], self: number): boolean {
  const other = (id: number): boolean => id !== self
  return changes.added.some(other) || changes.updated.some(other) || changes.removed.some(other)
}

/** @returns a view of `awareness` whose 'change' listeners skip changes of this client alone. */
export function remoteCaretAwareness(awareness: Awareness): Awareness {
  const wrappers = new WeakMap<ChangeListener, ChangeListener>()
  const wrap = (listener: ChangeListener): ChangeListener => {
    let wrapper = wrappers.get(listener)
    if (wrapper === undefined) {
      wrapper = (changes, origin) => {
        if (involvesOthers(changes, awareness.clientID)) {
          listener(changes, origin)
        }
      }
      wrappers.set(listener, wrapper)
    }
    return wrapper
  }
  return new Proxy(awareness, {
    get(target, property) {
      if (property === 'on' || property === 'off') {
        return (name: string, listener: ChangeListener) => {
          const passed = name === 'change' ? wrap(listener) : listener
          if (property === 'on') {
            target.on(name, passed)
          } else {
            target.off(name, passed)
          }
        }
      }
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
