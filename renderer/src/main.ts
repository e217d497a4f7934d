/** Entry point of the renderer (web client and desktop window alike). */
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import 'element-plus/dist/index.css'
import './styles/theme.css'
import App from './App.vue'
import { i18n } from './i18n'
import { createAppRouter } from './router'
import { api } from './api/client'
import { useSessionStore } from './stores/session'
import { useNetworkStore } from './stores/network'
import { registerServiceWorker } from './sw/register'
import { learnRelayNodes } from './api/endpoint'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(i18n)
const router = createAppRouter()
app.use(router)

const session = useSessionStore(pinia)
const network = useNetworkStore(pinia)
network.listen()
api.onReachability((reachable) => network.reportReachable(reachable))
api.onUnauthorized(() => {
  // The relay no longer accepts the token: forget it here and ask for a new login.
  void session.endLocally('unauthorized').then(() => router.replace({ name: 'login' }))
})

document.documentElement.lang = i18n.global.locale.value
app.mount('#app')
registerServiceWorker()
// The deployment's other nodes, for the sync sockets to fail over to (remembered for next time).
void learnRelayNodes()
