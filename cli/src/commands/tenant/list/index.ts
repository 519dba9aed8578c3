import { listTenants } from "@atende/control-plane";
import type { Io } from "../../../lib/io.js";
import { printJson, printTable } from "../../../lib/output.js";
import { withControlPlane } from "../../../lib/session.js";

/** `atende tenant list`: a table of tenants (or JSON). */
export async function tenantList(io: Io, options: { json?: boolean }): Promise<void> {
  const tenants = await withControlPlane(io, listTenants);
  if (options.json) return printJson(io, tenants);
  if (tenants.length === 0) {
    io.stdout.write("No tenants yet. Create one with `atende tenant create <name>`.\n");
    return;
  }
  printTable(
    io,
    ["NAME", "STATUS", "DOCKER", "VERSION", "TEMPLATE", "URL"],
    tenants.map((tenant) => [
      tenant.name,
      tenant.status,
      tenant.observed,
      tenant.appVersion,
      tenant.template,
      tenant.url,
    ]),
  );
}
