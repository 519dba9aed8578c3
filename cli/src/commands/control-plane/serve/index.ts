import { listStaff, openControlPlane, scheduleOf, serveControlPlane } from "@atende/control-plane";
import type { Io } from "../../../lib/io.js";

export interface ControlPlaneServeOptions {
  port?: number;
  host?: string;
  /** Served over HTTPS by a proxy in front: Secure cookies and HSTS. */
  secure?: boolean;
  /** Resolves when the server should stop; Ctrl-C or SIGTERM by default. */
  until?: Promise<void>;
}

/** `atende control-plane serve`: the staff API and dashboard, until Ctrl-C. */
export async function controlPlaneServe(io: Io, options: ControlPlaneServeOptions): Promise<void> {
  const cp = await openControlPlane({ env: io.env });
  try {
    const server = await serveControlPlane(cp, {
      port: options.port ?? 8080,
      host: options.host ?? "127.0.0.1",
      ...(options.secure ? { secure: true } : {}),
    });
    io.stdout.write(`Control plane listening on ${server.url} (Ctrl-C to stop)\n`);
    const schedule = scheduleOf(cp.config);
    io.stdout.write(
      schedule
        ? `Daily backups of every ready tenant at ${schedule.time} (${schedule.timeZone}), with retention.\n`
        : "Backup schedule off (set ATENDE_BACKUP_SCHEDULE=03:00 to back up every tenant daily).\n",
    );
    if ((await listStaff(cp)).length === 0)
      io.stdout.write(
        "No staff account yet: create the first owner with\n  atende control-plane create-staff --email <you@example.com> --role owner\n",
      );
    await (options.until ?? untilSignal());
    io.stdout.write("Stopping: waiting for running operations to finish…\n");
    await server.close();
  } finally {
    await cp.close();
  }
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
