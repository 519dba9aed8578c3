import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type ControlPlane, openControlPlane } from "../controlPlane.js";

/** A control plane with its own ATENDE_HOME in a temp directory; removed by `dispose`. */
export async function openTestControlPlane(
  env: Record<string, string> = {},
): Promise<ControlPlane & { home: string; dispose(): Promise<void> }> {
  const home = await mkdtemp(path.join(tmpdir(), "atende-cp-test-"));
  const cp = await openControlPlane({
    env: { ATENDE_HOME: home, ATENDE_LOG_LEVEL: "silent", ...env },
  });
  return Object.assign(cp, {
    home,
    async dispose() {
      await cp.close();
      await rm(home, { recursive: true, force: true });
    },
  });
}
