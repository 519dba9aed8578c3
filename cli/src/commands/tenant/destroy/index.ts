import { DESTROY_STEPS, destroyTenant, validateTenantName } from "@atende/control-plane";
import { EXIT_CODES, ExitError, usageError } from "../../../errors.js";
import type { Io } from "../../../lib/io.js";
import { printJson } from "../../../lib/output.js";
import { prompts } from "../../../lib/prompts.js";
import { withControlPlane } from "../../../lib/session.js";
import { runWithSteps } from "../../../lib/steps.js";

/** `atende tenant destroy <name>`: asks first unless --yes; --keep-data keeps the volumes. */
export async function tenantDestroy(
  io: Io,
  options: { name: string; yes?: boolean; keepData?: boolean; json?: boolean },
): Promise<void> {
  validateTenantName(options.name);
  if (!options.yes) {
    if (!io.interactive)
      throw usageError(
        `Refusing to destroy "${options.name}" without confirmation.`,
        "Add --yes to confirm.",
      );
    const what = options.keepData
      ? "its containers and networks (volumes are kept)"
      : "its containers, networks and ALL ITS DATA";
    if (!(await prompts.confirm(`Destroy tenant ${options.name} — ${what}?`))) {
      io.stderr.write("Nothing was changed.\n");
      throw new ExitError(EXIT_CODES.cancelled);
    }
  }
  const destroyed = await withControlPlane(io, (cp) =>
    runWithSteps(io, DESTROY_STEPS, { quiet: options.json === true }, (onProgress) =>
      destroyTenant(cp, { name: options.name, keepData: options.keepData === true, onProgress }),
    ),
  );
  if (options.json) return printJson(io, { ok: true, ...destroyed });
  const kept =
    destroyed.keptVolumes.length > 0 ? ` Kept volumes: ${destroyed.keptVolumes.join(", ")}.` : "";
  io.stdout.write(
    `Tenant ${destroyed.name} destroyed: ${destroyed.removed.containers} containers, ${destroyed.removed.networks} networks, ${destroyed.removed.volumes} volumes removed.${kept}\n`,
  );
}
