import { createStaff } from "@atende/control-plane";
import type { Io } from "../../../lib/io.js";
import { printJson } from "../../../lib/output.js";
import { withControlPlane } from "../../../lib/session.js";

export interface CreateStaffOptions {
  email: string;
  role: string;
  json?: boolean;
}

/** `atende control-plane create-staff`: a staff account with a one-time password. */
export async function controlPlaneCreateStaff(io: Io, options: CreateStaffOptions): Promise<void> {
  const created = await withControlPlane(io, (cp) =>
    createStaff(cp, { email: options.email, role: options.role }),
  );
  if (options.json) {
    printJson(io, { ok: true, ...created });
    return;
  }
  io.stdout.write(
    [
      `Staff account ${created.email} (${created.role}) created.`,
      `  One-time password:  ${created.oneTimePassword}`,
      "",
      "The password is shown only this once; sign in at the dashboard (`atende control-plane serve`).",
      "",
    ].join("\n"),
  );
}
