/**
 * Routes and guards: everything but the login screen needs a session; a user who must replace an
 * activation code is held on 设置新密码; 管理 is for administrators only.
 */
import { createRouter, createWebHashHistory, createWebHistory } from 'vue-router'
import type { RouteRecordRaw, Router } from 'vue-router'
import { useSessionStore } from '../stores/session'
import LoginView from '../views/LoginView.vue'
import ShellLayout from '../views/ShellLayout.vue'
import WorkbenchView from '../views/WorkbenchView.vue'
import DocumentListView from '../features/documents/DocumentListView.vue'
import { followWindowTitle } from './windowTitle'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session. */
    public?: boolean
    /** Only for system and unit administrators. */
    admin?: boolean
    /** Only for system administrators (the audit log). */
    sysadmin?: boolean
    /** i18n key of the navigation entry this route belongs to. */
    nav?: string
    /** i18n key of the page's name in the window title (router/windowTitle.ts). */
    title?: string
  }
}

const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: LoginView,
    meta: { public: true, title: 'windowTitle.login' },
  },
  {
    path: '/password',
    name: 'password',
    component: () => import('../views/ChangePasswordView.vue'),
    meta: { title: 'windowTitle.password' },
  },
  {
    // The GB/T 9704 print layout of a 公文, outside the shell so that only the document prints.
    path: '/documents/:id/print',
    name: 'document-print',
    component: () => import('../features/documents/gongwen/io/GongwenPrintView.vue'),
    props: true,
    meta: { title: 'windowTitle.print' },
  },
  {
    path: '/',
    component: ShellLayout,
    children: [
      {
        path: '',
        name: 'workbench',
        component: WorkbenchView,
        meta: { title: 'windowTitle.workbench', nav: 'workbench' },
      },
      {
        path: 'documents',
        name: 'documents',
        component: DocumentListView,
        meta: { title: 'windowTitle.documents', nav: 'documents' },
      },
      {
        path: 'documents/:id',
        name: 'document',
        component: () => import('../views/DocumentPage.vue'),
        props: true,
        meta: { title: 'windowTitle.document', nav: 'documents' },
      },
      {
        path: 'approvals',
        name: 'approvals',
        component: () => import('../features/todos/TodoCenterView.vue'),
        meta: { title: 'windowTitle.todos', nav: 'approvals' },
      },
      {
        // 发起申请: a form (请假, 出差, 用印申请, an admin's form) and its approval.
        path: 'approvals/new/:formId',
        name: 'approval-new',
        component: () => import('../features/approvals/StartFormView.vue'),
        props: true,
        meta: { title: 'windowTitle.approvalNew', nav: 'approvals' },
      },
      {
        path: 'approvals/:id',
        name: 'approval',
        component: () => import('../views/ApprovalPage.vue'),
        props: true,
        meta: { title: 'windowTitle.approval', nav: 'approvals' },
      },
      {
        path: 'meetings',
        name: 'meetings',
        component: () => import('../features/meetings/MeetingsCalendarView.vue'),
        meta: { title: 'windowTitle.meetings', nav: 'meetings' },
      },
      {
        path: 'meetings/new',
        name: 'meeting-new',
        component: () => import('../features/meetings/MeetingNewView.vue'),
        meta: { title: 'windowTitle.meetingNew', nav: 'meetings' },
      },
      {
        path: 'meetings/:id',
        name: 'meeting',
        component: () => import('../features/meetings/MeetingPage.vue'),
        props: true,
        meta: { title: 'windowTitle.meeting', nav: 'meetings' },
      },
      {
        // What the room's sign-in code links to (server/meetings/CheckinService.ts builds the URL).
        path: 'meetings/:id/checkin',
        name: 'meeting-checkin',
        component: () => import('../features/meetings/MeetingCheckinView.vue'),
        props: true,
        meta: { title: 'windowTitle.checkin', nav: 'meetings' },
      },
      {
        path: 'directory',
        name: 'directory',
        component: () => import('../features/directory/DirectoryView.vue'),
        meta: { title: 'windowTitle.directory', nav: 'directory' },
      },
      {
        path: 'admin',
        component: () => import('../features/admin/AdminLayout.vue'),
        meta: { nav: 'admin', admin: true },
        children: [
          { path: '', name: 'admin', redirect: { name: 'admin-users' } },
          {
            path: 'units',
            name: 'admin-units',
            component: () => import('../features/admin/OrgUnitsView.vue'),
            meta: { title: 'windowTitle.adminUnits' },
          },
          {
            path: 'users',
            name: 'admin-users',
            component: () => import('../features/admin/AdminUsersView.vue'),
            meta: { title: 'windowTitle.adminUsers' },
          },
          {
            path: 'imports',
            name: 'admin-imports',
            component: () => import('../features/admin/ImportView.vue'),
            meta: { title: 'windowTitle.adminImports' },
          },
          {
            // Saving flows and forms is for system administrators (wt-apsetup's catalog rules).
            path: 'approval-flows',
            name: 'admin-approval-flows',
            component: () => import('../features/admin/approvalSetup/ApprovalFlowsView.vue'),
            meta: { title: 'windowTitle.adminFlows', sysadmin: true },
          },
          {
            path: 'approval-forms',
            name: 'admin-approval-forms',
            component: () => import('../features/admin/approvalSetup/ApprovalFormsView.vue'),
            meta: { title: 'windowTitle.adminForms', sysadmin: true },
          },
          {
            path: 'meeting-rooms',
            name: 'admin-meeting-rooms',
            component: () => import('../features/meetings/rooms/MeetingRoomsAdminView.vue'),
            meta: { title: 'windowTitle.adminRooms' },
          },
          {
            path: 'audit',
            name: 'admin-audit',
            component: () => import('../features/admin/AuditView.vue'),
            meta: { title: 'windowTitle.adminAudit', sysadmin: true },
          },
        ],
      },
      {
        path: 'account/devices',
        name: 'signing-devices',
        component: () => import('../features/approvals/SigningDevicesView.vue'),
        meta: { title: 'windowTitle.devices' },
      },
      {
        path: 'account/sessions',
        name: 'sessions',
        component: () => import('../features/account/SessionsView.vue'),
        meta: { title: 'windowTitle.sessions' },
      },
      {
        path: 'account/delegations',
        name: 'delegations',
        component: () => import('../features/todos/DelegationsView.vue'),
        meta: { title: 'windowTitle.delegations' },
      },
      {
        path: ':pathMatch(.*)*',
        name: 'not-found',
        component: () => import('../views/NotFoundView.vue'),
        meta: { title: 'windowTitle.notFound' },
      },
    ],
  },
]

/** Creates the router: path URLs on the web, hash URLs when loaded from a file (desktop). */
export function createAppRouter(): Router {
  const web = location.protocol === 'http:' || location.protocol === 'https:'
  const router = createRouter({
    history: web ? createWebHistory() : createWebHashHistory(),
    routes,
  })

  router.beforeEach(async (to) => {
    const session = useSessionStore()
    await session.restore()
    if (to.meta.public) {
      return session.signedIn && to.name === 'login' ? { name: 'workbench' } : true
    }
    if (!session.signedIn) {
      return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
    }
    if (session.mustChangePassword && to.name !== 'password') {
      return { name: 'password' }
    }
    if (to.meta.admin && !session.isAdmin) {
      return { name: 'workbench' }
    }
    if (to.meta.sysadmin && !session.user?.roles.includes('sysadmin')) {
      return { name: 'admin-users' }
    }
    return true
  })
  followWindowTitle(router)
  return router
}
