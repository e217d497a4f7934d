// ESLint flat config (electron-vite template style): @eslint/js, typescript-eslint, eslint-plugin-vue
// for the renderer's SFCs, house rules, the layer boundaries of STYLE.md, and Prettier last.
import { readdirSync } from 'node:fs'
import { builtinModules } from 'node:module'
import js from '@eslint/js'
import prettier from 'eslint-config-prettier/flat'
import vue from 'eslint-plugin-vue'
import tseslint from 'typescript-eslint'
import vueParser from 'vue-eslint-parser'

const TS_AND_VUE = ['**/*.ts', '**/*.mts', '**/*.cts', '**/*.vue']
const NODE_BUILTINS = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)]

// Globals of plain JavaScript files (TypeScript files are checked by tsc, so no-undef is off there).
const readonly = (names) => Object.fromEntries(names.map((name) => [name, 'readonly']))
const COMMON_GLOBALS = [
  'console',
  'URL',
  'URLSearchParams',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'queueMicrotask',
  'structuredClone',
  'fetch',
  'AbortController',
  'TextEncoder',
  'TextDecoder',
  'performance',
]
const NODE_GLOBALS = readonly([
  ...COMMON_GLOBALS,
  'process',
  'Buffer',
  'setImmediate',
  'clearImmediate',
])
const WORKER_GLOBALS = readonly([
  ...COMMON_GLOBALS,
  'self',
  'caches',
  'clients',
  'registration',
  'location',
  'Request',
  'Response',
  'Headers',
])

// --- Layer boundaries (STYLE.md "Boundaries"). ---------------------------------------------------
// A file gets exactly one no-restricted-imports setting (a later block replaces an earlier one), so
// each block below lists everything its files may not import.

const IPC_MAIN = {
  name: 'electron',
  importNames: ['ipcMain'],
  message: 'ipcMain is used only in electron/main/ipc.ts; add a channel to shared/ipc/contract.ts.',
}
const IPC_RENDERER = {
  name: 'electron',
  importNames: ['ipcRenderer'],
  message:
    'ipcRenderer is used only in electron/preload/index.ts; the page uses the DesktopBridge.',
}
const NO_ELECTRON = {
  name: 'electron',
  message:
    'Only electron/ may import Electron; the renderer reaches the platform via the DesktopBridge.',
}
// Relative specifiers only ('.*' is . or ..), so the npm package `electron` is not mistaken for electron/.
const folder = (name, message) => ({ group: [`.*/**/${name}`, `.*/**/${name}/**`], message })
const NOT_RENDERER = folder(
  'renderer',
  'Dependencies point inward: import shared/, never renderer/.',
)
const NOT_SERVER = folder('server', 'Dependencies point inward: import shared/, never server/.')
const NOT_ELECTRON_DIR = folder(
  'electron',
  'Dependencies point inward: import shared/, never electron/.',
)

const restrict = (paths, patterns = []) => ({
  'no-restricted-imports': ['error', { paths, patterns }],
})

// --- The renderer's layers (README "Architecture and seams"). ----------------------------------------
// From the bottom: shared/ <- api/, bridge/, i18n/, sw/ <- collab/ <- editor/ <- stores/ <- components/
// <- features/* (no feature imports another) <- views/, router/, App.vue, main.ts. A file may import
// its own layer and the layers below it. Specifiers are relative, so a rule matches the folder right
// after the run of '../' (these folders hold no subfolder named like a layer above them).
const RENDERER_TOP = ['views', 'router', 'App.vue', 'main']
const RENDERER_ABOVE = {
  api: ['collab', 'editor', 'stores', 'components', 'features', 'i18n', 'sw', ...RENDERER_TOP],
  bridge: ['collab', 'editor', 'stores', 'components', 'features', 'i18n', 'sw', ...RENDERER_TOP],
  i18n: ['collab', 'editor', 'stores', 'components', 'features', 'sw', ...RENDERER_TOP],
  sw: ['collab', 'editor', 'stores', 'components', 'features', 'i18n', ...RENDERER_TOP],
  collab: ['editor', 'stores', 'components', 'features', 'sw', ...RENDERER_TOP],
  editor: ['stores', 'components', 'features', 'sw', ...RENDERER_TOP],
  stores: ['components', 'features', 'sw', ...RENDERER_TOP],
  components: ['features', 'sw', ...RENDERER_TOP],
}
const FEATURES = readdirSync(new URL('./renderer/src/features', import.meta.url), {
  withFileTypes: true,
})
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
const layerPattern = (folders, message) => ({
  regex: `^(\\.\\./)+(${folders.map((folder) => folder.replace('.', '\\.')).join('|')})(/|$)`,
  message,
})
const RENDERER_BASE = [NOT_SERVER, NOT_ELECTRON_DIR]
const rendererLayers = [
  ...Object.entries(RENDERER_ABOVE).map(([layer, above]) => ({
    files: [`renderer/src/${layer}/**`],
    rules: restrict(
      [NO_ELECTRON],
      [
        ...RENDERER_BASE,
        layerPattern(
          above,
          `renderer/src/${layer}/ sits below ${above.join(', ')}: dependencies point down (README, "Architecture and seams").`,
        ),
      ],
    ),
  })),
  // The one place below the views that names features: the merged message tables, and only the
  // features' message tables (features/<name>/i18n).
  {
    files: ['renderer/src/i18n/messages.ts'],
    rules: restrict(
      [NO_ELECTRON],
      [
        ...RENDERER_BASE,
        layerPattern(
          RENDERER_ABOVE.i18n.filter((folder) => folder !== 'features'),
          'i18n/messages.ts merges message tables only.',
        ),
        {
          regex: '^(\\.\\./)+features/(?![^/]+/i18n$)',
          message:
            "i18n/messages.ts imports a feature's message tables (features/<name>/i18n) only.",
        },
      ],
    ),
  },
  ...FEATURES.map((feature) => ({
    files: [`renderer/src/features/${feature}/**`],
    rules: restrict(
      [NO_ELECTRON],
      [
        ...RENDERER_BASE,
        layerPattern(
          [...FEATURES.filter((other) => other !== feature), 'features', 'sw', ...RENDERER_TOP],
          `Features do not import each other, nor the views, router or app that compose them: move what ${feature} shares to components/, stores/ or below.`,
        ),
      ],
    ),
  })),
]

// --- The HTTP contract (shared/http). ---------------------------------------------------------------
// Outside renderer/src/api, the renderer reaches the relay only through call/upload/download with a
// route declared in shared/http/routes: no path strings, no fetch of its own, no raw client methods.
// (esquery regexes cannot hold a slash, hence \x2F.)
const VIA_CONTRACT =
  'call(route, …) from renderer/src/api/call.ts with a route of shared/http/routes'
const HTTP_OUTSIDE_CONTRACT = [
  {
    selector: 'Literal[value=/^\\x2Fapi\\x2F/]',
    message: `An API path is written once, in shared/http/routes; use ${VIA_CONTRACT}.`,
  },
  {
    selector: 'TemplateElement[value.raw=/\\x2Fapi\\x2F/]',
    message: `An API path is written once, in shared/http/routes; use ${VIA_CONTRACT}.`,
  },
  {
    selector: "CallExpression[callee.name='fetch'], CallExpression[callee.property.name='fetch']",
    message: `HTTP goes through renderer/src/api; use ${VIA_CONTRACT}.`,
  },
  {
    selector: "NewExpression[callee.name='XMLHttpRequest']",
    message: `HTTP goes through renderer/src/api; use ${VIA_CONTRACT}.`,
  },
  {
    selector:
      "MemberExpression[object.name='api'][property.name=/^(get|post|put|patch|delete|request|call|upload|download|send)$/]",
    message: `Use ${VIA_CONTRACT}.`,
  },
]

export default tseslint.config(
  {
    ignores: [
      '**/out/**',
      'dist/**',
      '**/node_modules/**',
      'data/**',
      'coverage/**',
      '.cache/**',
      'test-results/**',
      'tests/.tmp/**',
      'bench/.tmp/**',
    ],
  },

  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'].map((config) => ({ ...config, files: ['renderer/**/*.vue'] })),

  {
    files: ['renderer/**/*.vue'],
    languageOptions: {
      parser: vueParser,
      parserOptions: {
        parser: tseslint.parser,
        extraFileExtensions: ['.vue'],
        sourceType: 'module',
        ecmaVersion: 'latest',
      },
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: NODE_GLOBALS },
  },
  {
    files: ['renderer/public/**/*.js'],
    languageOptions: { sourceType: 'script', globals: WORKER_GLOBALS },
  },

  // House rules (STYLE.md).
  {
    rules: {
      curly: ['error', 'all'],
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
    },
  },
  {
    files: TS_AND_VUE,
    rules: {
      // TypeScript resolves identifiers better than no-undef, which knows no DOM or Node types.
      'no-undef': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'separate-type-imports' },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // The loggers, command-line scripts and benchmarks talk to a terminal.
    files: ['server/logger.ts', 'electron/main/logger.ts', 'scripts/**', 'bench/**'],
    rules: { 'no-console': 'off' },
  },

  // Boundaries: generic, then per layer, then the two IPC wrappers.
  { rules: restrict([IPC_MAIN, IPC_RENDERER]) },
  {
    files: ['shared/**'],
    rules: restrict(
      [
        NO_ELECTRON,
        ...NODE_BUILTINS.map((name) => ({
          name,
          message: 'shared/ runs in the browser and in Node: no Node APIs (STYLE.md).',
        })),
      ],
      [NOT_RENDERER, NOT_SERVER, NOT_ELECTRON_DIR],
    ),
  },
  {
    files: ['renderer/**'],
    rules: restrict([NO_ELECTRON], [NOT_SERVER, NOT_ELECTRON_DIR]),
  },
  ...rendererLayers,
  {
    files: ['renderer/src/**/*.ts', 'renderer/src/**/*.vue'],
    ignores: ['renderer/src/api/**'],
    rules: { 'no-restricted-syntax': ['error', ...HTTP_OUTSIDE_CONTRACT] },
  },
  {
    files: ['server/**'],
    rules: restrict([NO_ELECTRON], [NOT_RENDERER, NOT_ELECTRON_DIR]),
  },
  {
    files: ['electron/**'],
    rules: restrict([IPC_MAIN, IPC_RENDERER], [NOT_RENDERER, NOT_SERVER]),
  },
  {
    files: ['electron/main/ipc.ts'],
    rules: restrict([IPC_RENDERER], [NOT_RENDERER, NOT_SERVER]),
  },
  {
    files: ['electron/preload/index.ts'],
    rules: restrict([IPC_MAIN], [NOT_RENDERER, NOT_SERVER]),
  },

  prettier,
)
