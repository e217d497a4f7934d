/**
 * Builds the benchmark page (bench/editor/page) with Vite into bench/.tmp/editor, where the test
 * relay serves it as its web root. Not minified, so CPU profiles name the renderer's functions.
 */
import path from 'node:path'
import { build } from 'vite'
import vue from '@vitejs/plugin-vue'

const benchRoot = path.resolve(import.meta.dirname, '..')

/** Where the built page goes. */
export const PAGE_OUT_DIR = path.join(benchRoot, '.tmp', 'editor')

/** Builds the page. @returns the output folder */
export async function buildEditorPage(): Promise<string> {
  await build({
    configFile: false,
    root: path.join(benchRoot, 'editor', 'page'),
    base: '/',
    logLevel: 'warn',
    mode: 'production',
    plugins: [vue()],
    build: {
      outDir: PAGE_OUT_DIR,
      emptyOutDir: true,
      minify: false,
      sourcemap: false,
      chunkSizeWarningLimit: 10_000,
    },
  })
  return PAGE_OUT_DIR
}
