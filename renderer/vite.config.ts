/**
 * Vite config of the web client. The same `renderer/` folder is also built by electron-vite for the
 * desktop shell, so index.html and src/main.ts stay conventional and nothing here is required for
 * the app to run: the precache manifest only feeds the web build's service worker.
 */
import { defineConfig } from 'vite'
import type { Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath } from 'node:url'

const RELAY = 'http://127.0.0.1:8080'

/**
 * Emits `precache.json`: every file of the build, so the service worker (public/sw.js) can cache
 * the whole shell, lazy chunks included, at install time and open documents offline later.
 */
function precacheManifest(): Plugin {
  return {
    name: 'qilu-precache-manifest',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((name) => !name.endsWith('.map'))
        .map((name) => `/${name}`)
      this.emitFile({
        type: 'asset',
        fileName: 'precache.json',
        source: JSON.stringify({ files }),
      })
    },
  }
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [vue(), precacheManifest()],
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': { target: RELAY, changeOrigin: true },
      // The relay refuses sync sockets from pages of other origins (QILU_ALLOWED_ORIGINS); the dev
      // server's page is the relay's web client, so its upgrades are sent on as the relay's own.
      '/sync': { target: RELAY, ws: true, changeOrigin: true, rewriteWsOrigin: true },
    },
  },
})
