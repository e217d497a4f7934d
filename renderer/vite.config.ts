/**
 * Vite config of the web client. The same `renderer/` folder is also built by electron-vite for the
 * desktop shell, so index.html and src/main.ts stay conventional and nothing here is required for
 * the app to run: the precache manifest only feeds the web build's service worker.
 */
import { defineConfig } from 'vite'
import type { Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath } from 'node:url'
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'

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

/** Types worth compressing (fonts other than woff2 too: the CJK fallbacks are large). */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|json|svg|txt|xml|ttf|otf|wasm|webmanifest)$/

/**
 * Writes `<file>.br` (brotli, best) and `<file>.gz` (gzip, best) beside every compressible file of
 * the build, so the relay serves them precompressed (@fastify/static `preCompressed`) with no
 * compression work per request. A variant that would not be smaller is not written.
 */
function precompress(): Plugin {
  let outDir = ''
  return {
    name: 'qilu-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir)
    },
    closeBundle() {
      const walk = (dir: string): string[] =>
        fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
          const full = path.join(dir, entry.name)
          return entry.isDirectory() ? walk(full) : [full]
        })
      for (const file of walk(outDir).filter((name) => COMPRESSIBLE.test(name))) {
        const data = fs.readFileSync(file)
        if (data.length < 1024) {
          continue
        }
        const brotli = zlib.brotliCompressSync(data, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
          },
        })
        const gzip = zlib.gzipSync(data, { level: zlib.constants.Z_BEST_COMPRESSION })
        if (brotli.length < data.length) {
          fs.writeFileSync(`${file}.br`, brotli)
        }
        if (gzip.length < data.length) {
          fs.writeFileSync(`${file}.gz`, gzip)
        }
      }
    },
  }
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [vue(), precacheManifest(), precompress()],
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': { target: RELAY, changeOrigin: true },
      '/sync': { target: RELAY, ws: true, changeOrigin: true },
    },
  },
})
