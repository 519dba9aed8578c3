import { runDoctor } from "@atende/control-plane";
import { EXIT_CODES, ExitError } from "../../errors.js";
import type { Io } from "../../lib/io.js";
import { printJson } from "../../lib/output.js";
import { withControlPlane } from "../../lib/session.js";

const MARK = { ok: "✔", warn: "!", fail: "✖" } as const;

/** `atende doctor`: checks the engine, images, disk, master key and registry/Docker drift. */
export async function doctor(io: Io, options: { json?: boolean }): Promise<void> {
  const checks = await withControlPlane(io, runDoctor);
  if (options.json) printJson(io, { ok: checks.every((check) => check.status !== "fail"), checks });
  else {
    for (const check of checks) {
      io.stdout.write(`${MARK[check.status]} ${check.id.padEnd(11)} ${check.detail}\n`);
      if (check.hint && check.status !== "ok") io.stdout.write(`  → ${check.hint}\n`);
    }
  }
  if (checks.some((check) => check.status === "fail")) throw new ExitError(EXIT_CODES.doctorFailed);
}
