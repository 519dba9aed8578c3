import {
  AtendeError,
  PROVISION_STEPS,
  provisionTenant,
  validateEmail,
  validateTenantName,
} from "@atende/control-plane";
import { usageError } from "../../../errors.js";
import type { Io } from "../../../lib/io.js";
import { printJson } from "../../../lib/output.js";
import { prompts } from "../../../lib/prompts.js";
import { interruptSignal, withControlPlane } from "../../../lib/session.js";
import { runWithSteps } from "../../../lib/steps.js";

export interface TenantCreateOptions {
  name?: string;
  adminEmail?: string;
  template?: string;
  port?: number;
  json?: boolean;
  yes?: boolean;
}

/** `atende tenant create <name>`: provisions a tenant and prints how to log in. */
export async function tenantCreate(io: Io, options: TenantCreateOptions): Promise<void> {
  const name =
    options.name ??
    (await askFor(io, options, "Tenant name (e.g. acme):", "<name>", validateTenantName));
  validateTenantName(name);
  const adminEmail =
    options.adminEmail ??
    (await askFor(io, options, "First admin's e-mail:", "--admin-email <email>", validateEmail));
  validateEmail(adminEmail);

  const interrupt = interruptSignal();
  try {
    const created = await withControlPlane(io, (cp) =>
      runWithSteps(io, PROVISION_STEPS, { quiet: options.json === true }, (onProgress) =>
        provisionTenant(cp, {
          name,
          adminEmail,
          ...(options.template ? { template: options.template } : {}),
          ...(options.port !== undefined ? { port: options.port } : {}),
          onProgress,
          signal: interrupt.signal,
        }),
      ),
    );
    if (options.json) {
      printJson(io, {
        ok: true,
        tenant: created.name,
        url: created.url,
        adminEmail: created.adminEmail,
        oneTimePassword: created.oneTimePassword,
        resumed: created.resumed,
      });
      return;
    }
    io.stdout.write(
      [
        "",
        `Tenant ${created.name} is ready${created.resumed ? " (an interrupted create was completed)" : ""}.`,
        `  Inbox:              ${created.url}`,
        `  Admin e-mail:       ${created.adminEmail}`,
        `  One-time password:  ${created.oneTimePassword}`,
        "",
        "The password is shown only this once and must be changed at first login.",
        "",
      ].join("\n"),
    );
  } finally {
    interrupt.dispose();
  }
}

/** Prompts for a missing value on a TTY without --yes; otherwise says which flag is missing. */
async function askFor(
  io: Io,
  options: TenantCreateOptions,
  question: string,
  flag: string,
  validate: (value: string) => void,
): Promise<string> {
  if (!io.interactive || options.yes) {
    throw usageError(
      `Missing ${flag}.`,
      "Give it on the command line (prompts appear only on a terminal without --yes).",
    );
  }
  return prompts
    .text(question, (value) => {
      try {
        validate(value.trim());
        return true;
      } catch (error) {
        return error instanceof AtendeError ? error.message : String(error);
      }
    })
    .then((value) => value.trim());
}
