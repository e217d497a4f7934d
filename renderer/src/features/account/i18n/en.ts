/** English texts of My sessions; keys mirror zh-CN.ts. */
export const accountEn = {
  sessions: {
    title: 'My sessions',
    description:
      'Your account is signed in on these devices. If you do not recognise one, revoke it and change your password.',
    device: 'Device',
    unknownDevice: 'Unknown device',
    ip: 'IP address',
    createdAt: 'Signed in',
    lastSeen: 'Last active',
    current: 'This session',
    revoke: 'Revoke',
    revokeConfirm: 'The device will have to sign in again. Revoke the session?',
    revoked: 'Session revoked',
  },
}
