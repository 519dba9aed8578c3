import { type AddressInfo, createServer, Socket } from "node:net";

/**
 * A TCP proxy on loopback in front of a test server, whose connections a test can cut, the way
 * a network drop cuts them: the browser's WebSocket dies without a close frame and new
 * connections are refused until `restore()`. Browsers' own offline emulation does not reliably
 * cut an open WebSocket, so reconnect tests go through this instead.
 */
export interface CuttableProxy {
  /** e.g. `http://127.0.0.1:40124` — use it instead of the server's URL. */
  url: string;
  /** Drops every open connection and refuses new ones. */
  cut(): void;
  /** Accepts connections again. */
  restore(): void;
  close(): Promise<void>;
}

/** Starts a proxy to `target` (`http://127.0.0.1:port`). */
export async function startCuttableProxy(target: string): Promise<CuttableProxy> {
  const { hostname, port } = new URL(target);
  const open = new Set<Socket>();
  let refusing = false;

  const server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = new Socket();
    upstream.connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on("close", () => open.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${address.port}`,
    cut: () => {
      refusing = true;
      for (const socket of open) socket.destroy();
      open.clear();
    },
    restore: () => {
      refusing = false;
    },
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
