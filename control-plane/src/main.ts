import type { AddressInfo } from "node:net";
import { type ControlPlaneServerOptions, createControlPlaneServer } from "./app.js";
import { startBackupScheduler } from "./commands/backupScheduler.js";
import type { ControlPlane } from "./controlPlane.js";

/** Where and how to serve. */
export interface ServeOptions extends ControlPlaneServerOptions {
  /** 127.0.0.1 by default: put a TLS proxy in front before exposing it. */
  host?: string;
  /** 8080 by default; 0 picks a free port. */
  port?: number;
  /** Run the daily backup schedule (ATENDE_BACKUP_SCHEDULE) in this process; true by default. */
  backupScheduler?: boolean;
}

/** A listening control-plane server. */
export interface ServingControlPlane {
  url: string;
  /** Stops accepting connections, waits for running operations, then closes. */
  close(): Promise<void>;
}

/** Starts the control-plane API and dashboard and resolves once it listens. */
export async function serveControlPlane(
  cp: ControlPlane,
  options: ServeOptions = {},
): Promise<ServingControlPlane> {
  const server = createControlPlaneServer(cp, options);
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.httpServer.once("error", reject);
    server.httpServer.listen(options.port ?? 8080, host, () => {
      server.httpServer.off("error", reject);
      resolve();
    });
  });
  const { port } = server.httpServer.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  cp.logger.info({ component: "api", url }, "control plane serving");
  const scheduler = options.backupScheduler === false ? undefined : startBackupScheduler(cp);
  return {
    url,
    async close() {
      await scheduler?.stop();
      await server.close();
      await server.drain();
    },
  };
}
