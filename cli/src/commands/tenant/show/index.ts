import { showTenant } from "@atende/control-plane";
import type { Io } from "../../../lib/io.js";
import { printJson, printTable } from "../../../lib/output.js";
import { withControlPlane } from "../../../lib/session.js";

/** `atende tenant show <name>`: one tenant in detail (never its secrets). */
export async function tenantShow(io: Io, options: { name: string; json?: boolean }): Promise<void> {
  const tenant = await withControlPlane(io, (cp) => showTenant(cp, options.name));
  if (options.json) return printJson(io, tenant);
  io.stdout.write(
    [
      `Tenant:      ${tenant.name}`,
      `Status:      ${tenant.status} (Docker: ${tenant.observed})`,
      `Inbox:       ${tenant.url}`,
      `Admin:       ${tenant.adminEmail}`,
      `Template:    ${tenant.template}`,
      `Version:     ${tenant.appVersion}`,
      `Created:     ${tenant.createdAt}`,
      `Volumes:     ${tenant.volumes.join(", ") || "(none)"}`,
      `Networks:    ${tenant.networks.join(", ") || "(none)"}`,
      "",
    ].join("\n"),
  );
  printTable(
    io,
    ["SERVICE", "CONTAINER", "STATE", "HEALTH", "IMAGE"],
    tenant.services.map((service) => [
      service.role,
      service.container,
      service.state,
      service.health ?? "-",
      service.image,
    ]),
  );
}
