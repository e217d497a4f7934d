/**
 * electron-vite build of the desktop app: main process → out/main (ESM), preload → out/preload
 * (CommonJS), renderer → out/renderer. Nothing here needs the Electron binary.
 *
 * The renderer is the web client the relay serves from out/renderer, so this build starts from the
 * web client's own Vite config (renderer/vite.config.ts) and undoes the two electron-vite defaults
 * that would make it a different, desktop-only artefact: a relative `base` (breaks assets on deep
 * links such as /documents/42) and a target of Electron's Chromium only (too new for the browsers
 * in government offices), plus minification. The result is the same web client `npm run build:web`
 * produces.
 */
import { fileURLToPath } from 'node:url'
import { defineConfig, mergeConfig } from 'electron-vite'
import type { UserConfig as ElectronViteConfig } from 'electron-vite'
import { loadConfigFromFile } from 'vite'
import type { Plugin, UserConfig } from 'vite'

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url))

/**
 * Restores what electron-vite's renderer preset (an `enforce: 'pre'` plugin, so this one runs after
 * it) changes from Vite's defaults: `base`, `build.target`, minification and the modulepreload
 * polyfill. electron-vite then warns that the target is not "chrome?": expected, see above.
 */
function sameAsWebClient(webClient: UserConfig): Plugin {
  return {
    name: 'qilu-renderer-same-as-web-client',
    config() {
      return {
        base: webClient.base ?? '/',
        build: {
          target: webClient.build?.target ?? 'baseline-widely-available',
          minify: webClient.build?.minify ?? true,
          modulePreload: webClient.build?.modulePreload ?? true,
        },
      }
    },
  }
}

export default defineConfig(async (env): Promise<ElectronViteConfig> => {
  // Loaded through Vite rather than imported: the web client's config belongs to the web tsconfig.
  const loaded = await loadConfigFromFile(env, here('renderer/vite.config.ts'))
  const webClient = loaded?.config ?? {}
  return {
    main: {
      build: {
        outDir: here('out/main'),
        lib: { entry: here('electron/main/index.ts') },
        // Bundled, so the packaged app needs no node_modules at all (electron-builder.yml).
        externalizeDeps: { exclude: ['zod', 'pino', 'sm-crypto-v2'] },
      },
    },
    preload: {
      build: {
        outDir: here('out/preload'),
        // Sandboxed preloads are loaded as classic scripts: ESM is not supported there, so CommonJS
        // with a .cjs name (package.json says "type": "module"). window.ts points at index.cjs.
        lib: {
          entry: here('electron/preload/index.ts'),
          formats: ['cjs'],
          fileName: () => 'index.cjs',
        },
      },
    },
    renderer: mergeConfig(webClient, {
      root: here('renderer'),
      build: {
        outDir: here('out/renderer'),
        rolldownOptions: { input: here('renderer/index.html') },
      },
      plugins: [sameAsWebClient(webClient)],
    }),
  }
})
