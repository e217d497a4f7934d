/** 简体中文 texts of 我的会话. */
export const accountZhCN = {
  sessions: {
    title: '我的会话',
    description: '您的账号当前在这些设备上保持登录。发现不认识的会话，请立即注销并修改密码。',
    device: '设备',
    unknownDevice: '未知设备',
    ip: 'IP 地址',
    createdAt: '登录时间',
    lastSeen: '最近活动',
    current: '当前会话',
    revoke: '注销',
    revokeConfirm: '注销后该设备需要重新登录。确定注销吗？',
    revoked: '已注销该会话',
  },
} as const
