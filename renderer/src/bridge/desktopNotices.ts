/**
 * Desktop notifications of new 待办 and new 通知 through the DesktopBridge (`notify` with the route a click
 * opens, `enableNotifications` on the user's click), and the user's choice, remembered on this
 * device per account.
 *
 * @example
 *   if (notifyPreference(userId)) await showNotice({ title, body, link: '/approvals/42' })
 */
import { getBridge, isDesktop } from './index'

/** A notification of new work or a new notice. */
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

/** @returns whether the user wants desktop notifications (new 待办, new 通知; default: yes). */
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

/**
 * Asks for permission through the bridge (call it from a click: browsers ignore it otherwise).
 * @returns the permission now
 */
export async function requestNoticePermission(): Promise<NoticePermission> {
  const asked = await getBridge().enableNotifications()
  if (!asked.ok) {
    return asked.code === 'unsupported' ? 'unsupported' : noticePermission()
  }
  return asked.value.granted ? 'granted' : noticePermission()
}

/**
 * Shows a notice through the DesktopBridge (a system notification on the desktop, the Notification
 * API on the web); a click brings the window forward and opens `notice.link` through the
 * `qilu:navigate` event (shared/ipc/appRoute.ts), which useTodoNotifications hands to the router.
 * Never asks for permission (that happens on the user's click of the toggle).
 * @returns whether it was shown
 */
export async function showNotice(notice: TodoNotice): Promise<boolean> {
  const shown = await getBridge().notify({
    title: notice.title,
    body: notice.body,
    route: notice.link,
  })
  return shown.ok
}
