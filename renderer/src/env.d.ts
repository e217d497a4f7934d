/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Version shown in the web client's about box (the desktop shell reports its own). */
  readonly VITE_APP_VERSION?: string
}
