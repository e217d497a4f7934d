// The ceiling of the scale benchmark: a raw `ws` server that relays every message to the other
// sockets of the same path (room), and does nothing else. `PORT=… node wsBroadcastServer.mjs`
import { WebSocketServer } from 'ws'

const rooms = new Map()
const server = new WebSocketServer({
  host: '127.0.0.1',
  port: Number(process.env.PORT),
  perMessageDeflate: false,
  maxPayload: 256 * 1024 * 1024,
})
server.on('connection', (socket, request) => {
  const name = request.url ?? '/'
  let room = rooms.get(name)
  if (room === undefined) {
    room = new Set()
    rooms.set(name, room)
  }
  room.add(socket)
  socket.on('message', (data) => {
    for (const peer of room) {
      if (peer !== socket && peer.readyState === 1) {
        peer.send(data, { binary: true })
      }
    }
  })
  socket.on('close', () => {
    room.delete(socket)
    if (room.size === 0) {
      rooms.delete(name)
    }
  })
})
server.on('listening', () => console.log(`ws broadcast running at 127.0.0.1:${process.env.PORT}`))
