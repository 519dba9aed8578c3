import { startTenant, stopTenant } from "@atende/control-plane";
import type { Io } from "../../../lib/io.js";
import { printJson } from "../../../lib/output.js";
import { withControlPlane } from "../../../lib/session.js";
import { runWithSteps } from "../../../lib/steps.js";

const STOP_STEPS = [{ id: "stop", title: "Stop app, Redis and database" }];
const START_STEPS = [
  { id: "start", title: "Start database, Redis and app" },
  { id: "ready", title: "Wait until the inbox is ready" },
];

/** `atende tenant stop <name>` and `atende tenant start <name>`. */
export async function tenantPower(
  io: Io,
  options: { name: string; action: "start" | "stop"; json?: boolean },
): Promise<void> {
  const steps = options.action === "stop" ? STOP_STEPS : START_STEPS;
  const action = options.action === "stop" ? stopTenant : startTenant;
  await withControlPlane(io, (cp) =>
    runWithSteps(io, steps, { quiet: options.json === true }, (onProgress) =>
      action(cp, { name: options.name, onProgress }),
    ),
  );
  if (options.json)
    printJson(io, {
      ok: true,
      tenant: options.name,
      status: options.action === "stop" ? "stopped" : "ready",
    });
  else
    io.stdout.write(
      `Tenant ${options.name} ${options.action === "stop" ? "stopped" : "started and ready"}.\n`,
    );
}
