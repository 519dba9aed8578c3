import { streamTenantLogs } from "@atende/control-plane";
import { usageError } from "../../../errors.js";
import type { Io } from "../../../lib/io.js";
import { interruptSignal, withControlPlane } from "../../../lib/session.js";

const SERVICES = ["app", "db", "redis"] as const;

/** `atende tenant logs <name> [--follow] [--service app|db|redis]`. */
export async function tenantLogs(
  io: Io,
  options: { name: string; follow?: boolean; service?: string; tail?: number },
): Promise<void> {
  const service = options.service ?? "app";
  if (!(SERVICES as readonly string[]).includes(service)) {
    throw usageError(`Unknown service "${service}".`, `Use one of: ${SERVICES.join(", ")}.`);
  }
  const interrupt = interruptSignal();
  try {
    await withControlPlane(io, (cp) =>
      streamTenantLogs(cp, {
        name: options.name,
        service,
        follow: options.follow === true,
        ...(options.tail !== undefined ? { tail: options.tail } : {}),
        stdout: io.stdout,
        stderr: io.stderr,
        signal: interrupt.signal,
      }),
    );
  } finally {
    interrupt.dispose();
  }
}
