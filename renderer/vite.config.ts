/**
 * Vite config of the web client. The same `renderer/` folder is also built by electron-vite for the
 * desktop shell, so index.html and src/main.ts stay conventional and nothing here is required for
 * the app to run: the service worker and the compressed variants serve the web client only.
 */
import { defineConfig } from 'vite'
import type { Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath } from 'node:url'
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import crypto from 'node:crypto'

const RELAY = 'http://127.0.0.1:8080'

/** Files the service worker does not precache: compressed variants, maps, itself. */
const NOT_PRECACHED = /(?:\.br|\.gz|\.map)$|^sw\.js$/

/** @returns every file below `dir`, as paths relative to it with forward slashes. */
function filesBelow(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = `${prefix}${entry.name}`
    return entry.isDirectory() ? filesBelow(path.join(dir, entry.name), `${relative}/`) : [relative]
  })
}

/**
 * Bundles the Workbox service worker (renderer/sw/sw.ts) into `<outDir>/sw.js` with the precache
 * list of the build injected: every file, hashed assets by name, the others with a content hash
 * as revision.
 */
async function buildServiceWorker(root: string, outDir: string): Promise<void> {
  const entries = filesBelow(outDir)
    .filter((file) => !NOT_PRECACHED.test(file))
    .map((file) => ({
      url: `/${file}`,
      revision: file.startsWith('assets/')
        ? null
        : crypto
            .createHash('sha256')
            .update(fs.readFileSync(path.join(outDir, file)))
            .digest('hex')
            .slice(0, 16),
    }))
  const { build } = await import('esbuild')
  await build({
    entryPoints: [path.join(root, 'sw/sw.ts')],
    outfile: path.join(outDir, 'sw.js'),
    bundle: true,
    format: 'iife',
    minify: true,
    target: 'es2020',
    define: {
      'self.__WB_MANIFEST': JSON.stringify(entries),
      'process.env.NODE_ENV': '"production"',
    },
    logLevel: 'warning',
  })
}

/** Types worth compressing (fonts other than woff2 too: the CJK fallbacks are large). */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|json|svg|txt|xml|ttf|otf|wasm|webmanifest)$/

/**
 * Writes `<file>.br` (brotli, best) and `<file>.gz` (gzip, best) beside every compressible file of
 * the build, so the relay serves them precompressed (@fastify/static `preCompressed`) with no
 * compression work per request. A variant that would not be smaller is not written.
 */
function precompress(outDir: string): void {
  for (const file of filesBelow(outDir)
    .filter((name) => COMPRESSIBLE.test(name))
    .map((name) => path.join(outDir, name))) {
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
}

/**
 * After the web build: the service worker (web client only; the desktop shell never registers it),
 * then the compressed variants of everything, the worker included.
 */
function buildOutput(): Plugin {
  let outDir = ''
  let root = ''
  return {
    name: 'qilu-build-output',
    apply: 'build',
    configResolved(config) {
      root = config.root
      outDir = path.resolve(config.root, config.build.outDir)
    },
    async closeBundle() {
      await buildServiceWorker(root, outDir)
      precompress(outDir)
    },
  }
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [vue(), buildOutput()],
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
