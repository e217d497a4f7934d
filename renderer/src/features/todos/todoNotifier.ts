/**
 * Desktop notifications of new 待办, behind one small adapter: in the desktop client through the
 * DesktopBridge's `notify` (the main process shows a system notification); in a browser through the
 * Notification API directly, so that a click can bring the tab forward and open the approval. The
 * user's choice is remembered on this device, per account.
 *
 * @example
 *   if (notifyPreference(userId)) await showNotice({ title, body, link }, (to) => router.push(to))
 */
import { getBridge, isDesktop } from '../../bridge'

/** A notification of new work. */
export interface TodoNotice {
  readonly title: string
  readonly body: string
  /** The route a click opens. */
  readonly link: string
}

/** Whether this platform can notify at all, and whether the user must still allow it. */
export type NoticePermission =
  /** Notifications can be shown. */
  | 'granted'
  /** The browser will ask the user (on a click of the toggle). */
  | 'default'
  /** The user (or the browser's policy) refused them. */
  | 'denied'
  /** No Notification API (an old or locked-down browser). */
  | 'unsupported'

function preferenceKey(userId: string): string {
  return `qilu:${userId}:todo-notify`
}

/** @returns whether the user wants desktop notifications of new 待办 (default: yes). */
export function notifyPreference(userId: string, storage: Storage = localStorage): boolean {
  return storage.getItem(preferenceKey(userId)) !== 'off'
}

/** Remembers the user's choice on this device. */
export function setNotifyPreference(
  userId: string,
  enabled: boolean,
  storage: Storage = localStorage,
): void {
  storage.setItem(preferenceKey(userId), enabled ? 'on' : 'off')
}

/** @returns the permission of this platform (the desktop client needs none). */
export function noticePermission(): NoticePermission {
  if (isDesktop()) {
    return 'granted'
  }
  if (typeof Notification === 'undefined') {
    return 'unsupported'
  }
  return Notification.permission
}

/** Asks the browser for permission (call it from a click: browsers ignore it otherwise). */
export async function requestNoticePermission(): Promise<NoticePermission> {
  if (isDesktop() || typeof Notification === 'undefined') {
    return noticePermission()
  }
  return Notification.requestPermission()
}

/**
 * Shows a notice. Never asks for permission (that happens on the user's click of the toggle).
 * @param open called with `notice.link` when the user clicks the notification (web)
 * @returns whether it was shown
 */
export async function showNotice(
  notice: TodoNotice,
  open: (link: string) => void,
): Promise<boolean> {
  if (isDesktop()) {
    // The desktop shell shows it; a click there focuses the window (electron/main).
    const shown = await getBridge().notify({ title: notice.title, body: notice.body })
    return shown.ok
  }
  if (noticePermission() !== 'granted') {
    return false
  }
  const shown = new Notification(notice.title, { body: notice.body, tag: notice.link })
  shown.onclick = () => {
    window.focus()
    open(notice.link)
    shown.close()
  }
  return true
}
