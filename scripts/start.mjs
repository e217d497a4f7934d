// `npm start`: build the web client when it is missing or older than its sources, then run the relay.
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const shell = path.join(root, 'out/renderer/index.html')

function newestMtime(dir) {
  let newest = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs)
  }
  return newest
}

const sourcesTime = Math.max(newestMtime(path.join(root, 'renderer')), newestMtime(path.join(root, 'shared')))
if (!fs.existsSync(shell) || fs.statSync(shell).mtimeMs < sourcesTime) {
  console.log('正在构建网页客户端 (building the web client)…')
  const build = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'renderer/vite.config.ts'], {
    cwd: root,
    stdio: 'inherit',
  })
  if (build.status !== 0) {
    process.exit(build.status ?? 1)
  }
}
const relay = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
  cwd: root,
  stdio: 'inherit',
})
// The relay flushes its rooms on SIGTERM/SIGINT; pass them on and leave when it has.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => relay.kill(signal))
}
relay.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
