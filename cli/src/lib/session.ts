import { type ControlPlane, openControlPlane } from "@atende/control-plane";
import type { Io } from "./io.js";

/** Opens the control plane for one command and always closes it. */
export async function withControlPlane<T>(
  io: Io,
  use: (cp: ControlPlane) => Promise<T>,
): Promise<T> {
  const cp = await openControlPlane({ env: io.env });
  try {
    return await use(cp);
  } finally {
    await cp.close();
  }
}

/**
 * An AbortSignal fired by Ctrl-C (or SIGTERM), so an operation stops at the next step and
 * removes what it made instead of dying half-way.
 */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
