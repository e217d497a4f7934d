/** 简体中文 texts of the inbox bell (mounted as `inbox`). */
export const inboxZhCN = {
  bell: '通知',
  bellUnread: '通知（{count} 条未读）',
  title: '通知',
  markAllRead: '全部标为已读',
  markRead: '标为已读',
  unreadOnly: '只看未读',
  empty: '暂无新通知',
  emptyUnread: '没有未读通知',
  emptyHint:
    "有人邀请您参与文档、批注或修订您的文档、处理您的修订建议、{'@'} 您、邀请您参会，或审批到期、被催办时，会在这里提醒。",
  notifyMany: '您有 {count} 条新通知',
  kinds: {
    mention: '提及',
    meeting: '会议',
    member: '文档',
    comment: '批注',
    suggestion: '修订',
    decision: '修订',
    approval: '审批',
  },
  offline: '离线：显示本机保存的通知',
  loadFailed: '通知加载失败',
  markedAll: '已将 {count} 条通知标为已读',
  justNow: '刚刚',
  minutesAgo: '{count} 分钟前',
  hoursAgo: '{count} 小时前',
}
