import { afterEach, describe, expect, test, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import LoginView from '../../../renderer/src/views/LoginView.vue'
import { i18n } from '../../../renderer/src/i18n'

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  })
}

async function mountLogin() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', name: 'login', component: LoginView },
      { path: '/', name: 'workbench', component: { template: '<p>home</p>' } },
      { path: '/password', name: 'password', component: { template: '<p>password</p>' } },
    ],
  })
  await router.push('/login')
  const wrapper = mount(LoginView, {
    global: { plugins: [createPinia(), i18n, router] },
    attachTo: document.body,
  })
  return { wrapper, router }
}

async function submit(username: string, password: string) {
  const { wrapper, router } = await mountLogin()
  await wrapper.find('#login-username').setValue(username)
  await wrapper.find('#login-password').setValue(password)
  await wrapper.find('form').trigger('submit')
  await flushPromises()
  return { wrapper, router }
}

describe('login screen', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    localStorage.clear()
    document.body.innerHTML = ''
  })

  test('shows 用户名或密码错误 when the relay rejects the credentials', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        jsonResponse(401, { error: { code: 'invalid_credentials', message: 'x' } }),
      ),
    )
    const { wrapper } = await submit('wang.fang', 'nope')
    expect(wrapper.find('[data-testid="login-error"]').text()).toContain('用户名或密码错误')
    expect((wrapper.find('#login-password').element as HTMLInputElement).value).toBe('')
  })

  test('shows 无法连接服务器 when the relay cannot be reached', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    )
    const { wrapper } = await submit('wang.fang', 'whatever')
    expect(wrapper.find('[data-testid="login-error"]').text()).toContain('无法连接服务器')
  })

  test('asks for the missing field instead of calling the relay', async () => {
    const fetch = vi.fn()
    vi.stubGlobal('fetch', fetch)
    const { wrapper } = await submit('', '')
    // Element Plus shows form-item errors after a short debounce.
    await new Promise((resolve) => setTimeout(resolve, 150))
    await wrapper.vm.$nextTick()
    expect(fetch).not.toHaveBeenCalled()
    expect(wrapper.text()).toContain('请输入用户名')
  })

  test('a user who must replace an activation code is sent to 设置新密码', async () => {
    const user = {
      id: 'u1',
      username: 'wang.fang',
      displayName: '王芳',
      roles: [],
      unitId: null,
      mustChangePassword: true,
    }
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => jsonResponse(200, { token: 't1', user })),
    )
    const { router } = await submit('wang.fang', 'ACTIVATION-CODE')
    expect(router.currentRoute.value.name).toBe('password')
    expect(localStorage.getItem('qilu:token')).toBe('t1')
  })
})
