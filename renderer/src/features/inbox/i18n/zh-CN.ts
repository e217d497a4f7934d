/** 简体中文 texts of the inbox bell (mounted as `inbox`). */
export const inboxZhCN = {
  bell: '通知',
  bellUnread: '通知（{count} 条未读）',
  title: '通知',
  markAllRead: '全部标为已读',
  markRead: '标为已读',
  unreadOnly: '只看未读',
  empty: '暂无通知',
  emptyUnread: '没有未读通知',
  emptyHint: "同事在批注中 {'@'} 您、会议邀请您、审批到期或被催办时，会在这里提醒。",
  offline: '离线：显示本机保存的通知',
  loadFailed: '通知加载失败',
  markedAll: '已将 {count} 条通知标为已读',
  justNow: '刚刚',
  minutesAgo: '{count} 分钟前',
  hoursAgo: '{count} 小时前',
}
