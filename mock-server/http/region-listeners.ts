// One listening socket per region. A region outage closes its listener and resets its
// connections, so clients see what a real outage looks like (connection refused or reset), not a
// polite error body; recovery listens again on the same port. The servers are the region apps'
// own http.Servers (fastify creates them); this module only opens and closes them.
import type { Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface ListenerAddress {
  readonly region: string
  readonly host: string
  readonly port: number
  readonly url: string
}

interface Listener {
  readonly region: string
  readonly server: Server
  readonly sockets: Set<Socket>
  port: number | undefined
  listening: boolean
}

export class RegionListeners {
  private readonly listeners: Listener[]
  private host: string | undefined

  constructor(servers: ReadonlyArray<{ readonly region: string; readonly server: Server }>) {
    this.listeners = servers.map(({ region, server }) => {
      const listener: Listener = { region, server, sockets: new Set(), port: undefined, listening: false }
      server.on('connection', (socket: Socket) => {
        listener.sockets.add(socket)
        socket.once('close', () => listener.sockets.delete(socket))
      })
      return listener
    })
  }

  /** Listen on host: the first region on `port`, the next on port + 1, …; port 0 gives each a free port. */
  async listen({ host, port }: { host: string; port: number }): Promise<ListenerAddress[]> {
    if (this.host !== undefined) throw new Error('region listeners are already listening')
    this.host = host
    const addresses: ListenerAddress[] = []
    try {
      for (const [index, listener] of this.listeners.entries()) {
        await listenOn(listener.server, host, port === 0 ? 0 : port + index)
        listener.port = (listener.server.address() as AddressInfo).port
        listener.listening = true
        addresses.push(this.addressOf(listener))
      }
    } catch (error) {
      this.destroyAll()
      throw error
    }
    return addresses
  }

  get started(): boolean {
    return this.host !== undefined
  }

  isListening(region: string): boolean {
    return this.find(region)?.listening === true
  }

  url(region: string): string | null {
    const listener = this.find(region)
    return listener?.listening === true ? this.addressOf(listener).url : null
  }

  addresses(): ListenerAddress[] {
    return this.listeners.filter((listener) => listener.port !== undefined).map((listener) => this.addressOf(listener))
  }

  /**
   * Stop accepting and reset every open connection of the region, except `spare` (the connection
   * that asked for the outage, which closes after its response). Resolves at once.
   */
  stop(region: string, { spare }: { spare?: Socket | undefined } = {}): void {
    const listener = this.find(region)
    if (listener === undefined || !listener.listening) return
    listener.listening = false
    listener.server.close()
    for (const socket of listener.sockets) if (socket !== spare) socket.destroy()
  }

  /** Listen again on the region's port (after stop). Rejects when the port is taken meanwhile. */
  async start(region: string): Promise<void> {
    const listener = this.find(region)
    if (listener === undefined || listener.listening || this.host === undefined || listener.port === undefined) return
    await listenOn(listener.server, this.host, listener.port)
    listener.listening = true
  }

  /** Stop accepting on every region (connections stay: in-flight requests may finish). */
  stopAccepting(): void {
    for (const listener of this.listeners) {
      if (!listener.listening) continue
      listener.listening = false
      listener.server.close()
      listener.server.closeIdleConnections()
    }
  }

  /** Reset every connection still open. */
  destroyAll(): void {
    for (const listener of this.listeners) {
      if (listener.listening) listener.server.close()
      listener.listening = false
      for (const socket of listener.sockets) socket.destroy()
    }
  }

  private find(region: string): Listener | undefined {
    return this.listeners.find((listener) => listener.region === region)
  }

  private addressOf(listener: Listener): ListenerAddress {
    const host = this.host ?? '127.0.0.1'
    const port = listener.port ?? 0
    const hostPart = host.includes(':') ? `[${host}]` : host
    return { region: listener.region, host, port, url: `http://${hostPart}:${port}` }
  }
}

function listenOn(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening)
      reject(error)
    }
    const onListening = (): void => {
      server.off('error', onError)
      resolve()
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen({ host, port, exclusive: true })
  })
}
