import {
  CONFIGURE_STEPS,
  configKeyNames,
  configureTenant,
  getTenantConfig,
  validateConfigValue,
  validateTenantName,
} from "@atende/control-plane";
import { usageError } from "../../../errors.js";
import type { Io } from "../../../lib/io.js";
import { printJson, printTable } from "../../../lib/output.js";
import { prompts } from "../../../lib/prompts.js";
import { interruptSignal, withControlPlane } from "../../../lib/session.js";
import { runWithSteps } from "../../../lib/steps.js";

export interface TenantConfigOptions {
  name: string;
  action: "get" | "set" | "unset";
  key?: string;
  value?: string;
  json?: boolean;
}

/**
 * `atende tenant config <name> get [KEY]`, `set KEY VALUE`, `unset KEY`: the tenant's settings,
 * validated, secrets stored encrypted and never printed, applied by re-creating only the
 * containers whose configuration changed.
 */
export async function tenantConfig(io: Io, options: TenantConfigOptions): Promise<void> {
  validateTenantName(options.name);
  if (options.action === "get") {
    if (options.value !== undefined) throw usageError("`get` takes at most one KEY.");
    const entries = await withControlPlane(io, (cp) =>
      getTenantConfig(cp, {
        name: options.name,
        ...(options.key === undefined ? {} : { key: options.key }),
      }),
    );
    if (options.json) return printJson(io, { tenant: options.name, settings: entries });
    printTable(
      io,
      ["KEY", "VALUE", "DESCRIPTION"],
      entries.map((entry) => [entry.key, shownValue(entry), entry.description]),
    );
    const unavailable = entries.find((entry) => entry.unavailable !== undefined)?.unavailable;
    if (unavailable) io.stderr.write(`WhatsApp settings not shown: ${unavailable}\n`);
    return;
  }

  const key = options.key;
  if (key === undefined)
    throw usageError(
      `Which setting? Give a KEY: ${configKeyNames().join(", ")}.`,
      `e.g. \`atende tenant config ${options.name} set timezone America/Sao_Paulo\`.`,
    );
  if (options.action === "set" && options.value === undefined)
    throw usageError(`Give the value: \`atende tenant config ${options.name} set ${key} VALUE\`.`);
  if (options.action === "unset" && options.value !== undefined)
    throw usageError("`unset` takes only the KEY.");
  const value =
    options.action === "set" ? await resolveValue(io, key, options.value as string) : undefined;
  // Refused before the control plane (and Docker) is opened at all.
  if (value !== undefined) validateConfigValue(key, value);

  const interrupt = interruptSignal();
  try {
    const configured = await withControlPlane(io, (cp) =>
      runWithSteps(io, CONFIGURE_STEPS, { quiet: options.json === true }, (onProgress) =>
        configureTenant(cp, {
          name: options.name,
          key,
          value,
          onProgress,
          signal: interrupt.signal,
        }),
      ),
    );
    if (options.json) return printJson(io, { ok: true, ...configured });
    const shown = shownValue(configured.entry);
    io.stdout.write(
      [
        "",
        configured.changed
          ? `${key} of ${configured.tenant} is now ${shown}.`
          : `${key} of ${configured.tenant} already was ${shown}: nothing changed.`,
        `  Re-created:  ${configured.recreated.length === 0 ? "nothing" : configured.recreated.join(", ")}`,
        "",
      ].join("\n"),
    );
  } finally {
    interrupt.dispose();
  }
}

/** How a value reads in a table: registry keys fall back to the template, tenant ones to nothing. */
function shownValue(entry: { value: string | null; storedIn: "registry" | "tenant" }): string {
  if (entry.value !== null) return entry.value;
  return entry.storedIn === "tenant" ? "(not set)" : "(template default)";
}

/**
 * `-` reads the value from standard input (or asks for it, hidden, on a terminal), so a secret
 * such as the FILA-IA key or the WhatsApp access token stays out of the process list and the shell history.
 */
async function resolveValue(io: Io, key: string, given: string): Promise<string> {
  if (given !== "-") return given;
  const value = io.interactive
    ? await prompts.secret(`Value for ${key}:`)
    : (await io.readStdin()).replace(/\r?\n$/, "");
  if (value === "")
    throw usageError(
      `No value for ${key} on standard input.`,
      `e.g. \`printf %s "$KEY" | atende tenant config <name> set ${key} -\`.`,
    );
  return value;
}
