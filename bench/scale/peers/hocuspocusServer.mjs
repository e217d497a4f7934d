// A minimal Hocuspocus server for the scale benchmark: no extensions (no auth, no persistence),
// defaults otherwise. `PORT=… node bench/scale/peers/hocuspocusServer.mjs`
import { Server } from '@hocuspocus/server'

const server = new Server({ port: Number(process.env.PORT), address: '127.0.0.1', quiet: true })
await server.listen()
console.log(`hocuspocus running at 127.0.0.1:${server.address.port}`)
